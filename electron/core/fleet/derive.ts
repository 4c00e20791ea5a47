import { fleetStateOf, type FleetAlert, type FleetRow } from '../../../shared/domain/fleet';
import type { MailboxError, MailboxStatus, Provider } from '../../../shared/domain/mailbox';
import type { DailyStats } from '../../../shared/domain/warmup';
import { parseJson } from '../util/json';
import { iso, isoOrNull } from '../util/time';
import type { FleetSourceRow } from './store';
import { todayOf } from './figures';

type WarmupView = FleetRow['warmup'];

/**
 * The warmup as a person sees it now. The loop records a pause or a resume on its next tick
 * (up to 15 s later); the fleet must show it at once, so the pause flag wins over a stale decision.
 */
export function warmupView(r: FleetSourceRow): WarmupView {
  const stored: WarmupView = {
    enabled: r.enabled === 1,
    state: (r.state ?? 'warming') as WarmupView['state'],
    reason: r.state_reason,
    reasonCode: r.state_code,
    until: isoOrNull(r.state_until),
    progress: r.progress ?? 0,
  };
  if (r.paused_at != null && stored.state !== 'paused') {
    const at = iso(r.paused_at).slice(0, 16).replace('T', ' ');
    return { ...stored, state: 'paused', reasonCode: 'MANUAL_PAUSE', reason: `Warmup was paused by hand on ${at} UTC.`, until: null };
  }
  if (r.paused_at == null && stored.state === 'paused' && stored.reasonCode === 'MANUAL_PAUSE') {
    return { ...stored, state: 'warming', reason: null, reasonCode: null, until: null };
  }
  return stored;
}

export function toFleetRow(r: FleetSourceRow, today: DailyStats, inboxRate7d: number | null): FleetRow {
  const warmup = warmupView(r);
  const status = r.status as MailboxStatus;
  return {
    id: r.id,
    email: r.email,
    displayName: r.display_name,
    provider: r.provider as Provider,
    status,
    lastError: parseJson<MailboxError>(r.last_error),
    readable: r.readable === 1,
    state: fleetStateOf(status, warmup),
    warmup,
    today: { day: today.day, ...todayOf(today) },
    inboxRate7d,
  };
}

const rank = { critical: 0, warning: 1, info: 2 } as const;

/** What needs a person's eye, most severe first. A pause by hand is a choice, not an alert. */
export function alertsOf(rows: FleetRow[]): FleetAlert[] {
  const out: FleetAlert[] = [];
  for (const r of rows) {
    const base = { mailboxId: r.id, email: r.email };
    if (r.status === 'error') {
      const e = r.lastError;
      out.push({
        ...base,
        severity: 'critical',
        code: e?.code ?? 'MAILBOX_ERROR',
        reason: e ? `${e.protocol.toUpperCase()} ${e.stage} failed: ${e.message}` : 'The mailbox is in error.',
        since: e?.at ?? null,
      });
    }
    else if (r.lastError?.protocol === 'imap') {
      // Sending goes on, but Kiln no longer sees where its mail lands: placement figures stop.
      const e = r.lastError;
      out.push({ ...base, severity: 'warning', code: e.code, reason: `IMAP ${e.stage} failed: ${e.message} (placement is not being read)`, since: e.at });
    }
    const w = r.warmup;
    if (!w.enabled) continue;
    const loop = { ...base, code: w.reasonCode ?? w.state.toUpperCase(), reason: w.reason ?? `Warmup is ${w.state}.`, since: null };
    if (w.state === 'paused' && w.reasonCode && w.reasonCode !== 'MANUAL_PAUSE') out.push({ ...loop, severity: 'critical' });
    else if (w.state === 'throttled') out.push({ ...loop, severity: 'warning' });
    else if (w.state === 'holding') out.push({ ...loop, severity: 'info' });
  }
  // Stable: within a severity, the fleet's own order.
  return out.sort((a, b) => rank[a.severity] - rank[b.severity]);
}
