// Where a sending domain stands against the Gmail / Yahoo / Microsoft bulk-sender rules
// (FIELD.md): SPF and DKIM pass, DMARC at least p=none and aligned, a valid PTR, TLS, one-click
// unsubscribe for bulk mail, a spam rate under 0.3 % (0.1 % is the target) and the 5,000-a-day
// line to Gmail. It reads what the checks and the feedback loop measured; it never guesses.
import type { ComplianceItem, DomainCompliance } from '../../../shared/domain/health';
import type { Deps } from '../deps';
import { parseJson } from '../util/json';
import { domainOf } from './inputs';
import { plural } from '../../../shared/plural';

const DAY = 86_400_000;
const GMAIL_LINE = 5_000;
const MIN_PLACEMENTS = 20;
const order = ['fail', 'warn', 'unknown', 'ok', 'n/a'] as const;

type CheckStatus = 'pass' | 'warn' | 'fail' | 'error' | 'none';

export function domainCompliance(deps: Deps) {
  const sqlite = deps.db.sqlite;
  const mailboxesSt = sqlite.prepare('SELECT id, email, smtp_security FROM mailboxes WHERE workspace_id = ? AND deleted_at IS NULL');
  const authSt = sqlite.prepare('SELECT report, checked_at FROM auth_checks WHERE workspace_id = ? AND domain = ?');
  const placementsSt = (n: number) =>
    sqlite.prepare(
      `SELECT p.placement, COUNT(*) AS n FROM messages m JOIN message_placements p ON p.message_id = m.id
        WHERE m.mailbox_id IN (${Array(n).fill('?').join(',')}) AND m.kind = 'warmup' AND m.sent_at >= ? GROUP BY p.placement`,
    );
  const gmailSt = (n: number) =>
    sqlite.prepare(
      `SELECT COUNT(*) AS n FROM messages m JOIN message_recipients r ON r.message_id = m.id
        WHERE m.mailbox_id IN (${Array(n).fill('?').join(',')}) AND m.sent_at >= ? AND r.status = 'sent'
          AND (r.address LIKE '%@gmail.com' OR r.address LIKE '%@googlemail.com')
        GROUP BY date(m.sent_at / 1000, 'unixepoch')`,
    );

  function authItems(workspaceId: string, domain: string): ComplianceItem[] {
    const row = authSt.get(workspaceId, domain) as { report: string } | undefined;
    const report = parseJson<{ checks?: Record<string, { status?: CheckStatus; summary?: string }> }>(row?.report ?? null);
    const check = (k: string) => report?.checks?.[k];
    const item = (rule: 'spf' | 'dkim' | 'dmarc' | 'ptr', label: string, ok: (s: CheckStatus) => ComplianceItem['status']): ComplianceItem => {
      const c = check(rule);
      if (!c?.status) return { rule, label, status: 'unknown', detail: 'Not checked yet: run the domain check' };
      return { rule, label, status: ok(c.status), detail: c.summary ?? c.status };
    };
    return [
      item('spf', 'SPF passes', (s) => (s === 'pass' ? 'ok' : s === 'warn' ? 'warn' : 'fail')),
      item('dkim', 'DKIM passes', (s) => (s === 'pass' ? 'ok' : s === 'warn' ? 'warn' : 'fail')),
      // p=none is enough for the rule (the check warns about it): at least p=none and aligned.
      item('dmarc', 'DMARC at least p=none, aligned', (s) => (s === 'pass' || s === 'warn' ? 'ok' : 'fail')),
      item('ptr', 'Sending IP has a valid PTR (forward-confirmed)', (s) => (s === 'pass' ? 'ok' : s === 'none' ? 'unknown' : 'fail')),
    ];
  }

  return function compliance(workspaceId: string): DomainCompliance[] {
    const now = deps.clock.now();
    const byDomain = new Map<string, Array<{ id: string; smtp_security: string }>>();
    for (const m of mailboxesSt.all(workspaceId) as Array<{ id: string; email: string; smtp_security: string }>) {
      const d = domainOf(m.email);
      (byDomain.get(d) ?? byDomain.set(d, []).get(d)!).push(m);
    }
    return [...byDomain]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([domain, boxes]) => {
        const ids = boxes.map((b) => b.id);
        const items = authItems(workspaceId, domain);

        const plain = boxes.filter((b) => b.smtp_security === 'none').length;
        items.push({ rule: 'tls', label: 'Mail leaves over TLS', status: plain ? 'fail' : 'ok', detail: plain ? `${plural(plain, 'mailbox sends', 'mailboxes send')} without TLS` : 'Every mailbox submits over TLS or STARTTLS' });

        items.push({
          rule: 'oneClickUnsubscribe',
          label: 'One-click unsubscribe on bulk mail',
          status: 'n/a',
          detail: 'Kiln sends person-to-person mail (warmup, tests): your own bulk mail needs List-Unsubscribe and List-Unsubscribe-Post (RFC 8058)',
        });

        const placed = Object.fromEntries((placementsSt(ids.length).all(...ids, now - 7 * DAY) as Array<{ placement: string; n: number }>).map((r) => [r.placement, r.n]));
        const total = Object.values(placed).reduce((a, n) => a + n, 0);
        const spam = placed.spam ?? 0;
        const rate = total > 0 ? spam / total : 0;
        items.push(
          total < MIN_PLACEMENTS
            ? { rule: 'spamRate', label: 'Spam rate under 0.3 %', status: 'unknown', detail: `${plural(total, 'placement', 'placements')} in 7 days: not enough to judge (${MIN_PLACEMENTS} needed)` }
            : {
                rule: 'spamRate',
                label: 'Spam rate under 0.3 %',
                status: rate < 0.001 ? 'ok' : rate < 0.003 ? 'warn' : 'fail',
                detail: `${Math.round(rate * 10_000) / 100} % of ${total} warmup messages landed in spam over 7 days (target under 0.1 %)`,
              },
        );

        const peak = Math.max(0, ...(gmailSt(ids.length).all(...ids, now - 7 * DAY) as Array<{ n: number }>).map((r) => r.n));
        items.push({
          rule: 'gmailVolume',
          label: 'Daily volume to Gmail against the 5,000 line',
          status: peak >= GMAIL_LINE ? 'warn' : 'ok',
          detail:
            peak >= GMAIL_LINE
              ? `${plural(peak, 'message', 'messages')} to Gmail in one day: the bulk-sender rules apply to ${domain} (and keep applying)`
              : `At most ${plural(peak, 'message', 'messages')} a day to Gmail over 7 days (the rules apply from about ${GMAIL_LINE.toLocaleString('en')})`,
        });

        const status = order.find((s) => items.some((i) => i.status === s)) ?? 'n/a';
        return { domain, mailboxes: boxes.length, status, items };
      });
  };
}
