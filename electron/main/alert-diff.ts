// Pure: which fleet alerts are new since the last look, and what the notifications say.
import type { FleetAlert } from '../../shared/domain/fleet';

/** One alert per mailbox and code: a mailbox throttled again after recovering counts as new. */
export function alertKey(alert: Pick<FleetAlert, 'mailboxId' | 'code'>): string {
  return `${alert.mailboxId}\u0000${alert.code}`;
}

export interface AlertDiff {
  /** Alerts whose key was not in the previous set, in the fleet's order (most severe first). */
  fresh: FleetAlert[];
  /** Keys to compare the next fetch against. */
  keys: ReadonlySet<string>;
}

/** `previous` null means no baseline yet: everything present now is known, nothing is fresh. */
export function diffAlerts(previous: ReadonlySet<string> | null, alerts: readonly FleetAlert[]): AlertDiff {
  const keys = new Set<string>();
  const fresh: FleetAlert[] = [];
  for (const alert of alerts) {
    const key = alertKey(alert);
    if (keys.has(key)) continue;
    keys.add(key);
    if (previous && !previous.has(key)) fresh.push(alert);
  }
  return { fresh, keys };
}

export interface NotificationContent {
  title: string;
  body: string;
}

/**
 * One notification per new alert, up to `max`; more than that at once (a network outage puts
 * every mailbox in error) becomes a single summary instead of a burst of toasts.
 */
export function notificationsFor(fresh: readonly FleetAlert[], max = 3): NotificationContent[] {
  if (fresh.length <= max) return fresh.map((a) => ({ title: `Kiln · ${a.email}`, body: a.reason }));
  const shown = fresh.slice(0, max).map((a) => `${a.email}: ${a.reason}`);
  return [
    {
      title: `Kiln · ${fresh.length} new alerts`,
      body: [...shown, `…and ${fresh.length - max} more`].join('\n'),
    },
  ];
}
