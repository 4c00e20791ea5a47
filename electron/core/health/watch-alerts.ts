// Alerts that follow outcomes as they arrive: a mailbox's bounces or complaints spiking over the
// last 24 hours, and a domain's DMARC pass rate in aggregate reports falling. Each is raised on
// the change and resolved once the rate is back under a lower line (hysteresis: no flapping).
import type { Db } from '../db/connection';
import type { Clock } from '../clock';
import type { EventBus } from '../events/bus';
import type { Logger } from '../log';
import type { AlertService } from '../alerts/service';
import type { DmarcService } from '../dmarc/service';
import { plural } from '../../../shared/plural';

const DAY = 86_400_000;
const MIN_SENT = 20;
const BOUNCE_HIGH = 0.05;
const BOUNCE_OK = 0.02;
const COMPLAINT_HIGH = 0.003;
const DMARC_MIN_MESSAGES = 20;
const DMARC_LOW = 90;
const DMARC_OK = 95;

const pct = (x: number) => `${Math.round(x * 1000) / 10} %`;

/** What the bounce, complaint and DMARC alerts use. */
export interface OutcomeAlertNeeds {
  db: Db;
  clock: Clock;
  bus: EventBus;
  log: Logger;
  alerts: Pick<AlertService, 'raise' | 'resolve'>;
  dmarc: Pick<DmarcService, 'summary'>;
}

export function watchOutcomeAlerts(deps: OutcomeAlertNeeds): { checkMailbox(mailboxId: string): void; stop(): void } {
  const sqlite = deps.db.sqlite;
  const outcomes = sqlite.prepare(
    `SELECT m.email, m.workspace_id,
            SUM(CASE WHEN x.status IN ('sent', 'bounced', 'complained') THEN 1 ELSE 0 END) AS sent,
            SUM(CASE WHEN x.status = 'bounced' THEN 1 ELSE 0 END) AS bounced,
            SUM(CASE WHEN x.status = 'complained' THEN 1 ELSE 0 END) AS complained
       FROM mailboxes m LEFT JOIN messages x ON x.mailbox_id = m.id AND x.sent_at >= ?
      WHERE m.id = ? GROUP BY m.id`,
  );

  function checkMailbox(mailboxId: string): void {
    const r = outcomes.get(deps.clock.now() - DAY, mailboxId) as { email: string; workspace_id: string; sent: number; bounced: number; complained: number } | undefined;
    if (!r || r.sent < MIN_SENT) return;
    const b = r.bounced / r.sent;
    const c = r.complained / r.sent;
    const ws = r.workspace_id;
    if (b >= BOUNCE_HIGH) {
      deps.alerts.raise(ws, { kind: 'bounce.spike', severity: 'critical', key: `bounce:${mailboxId}`, title: `${r.email}: ${pct(b)} of its mail bounced in 24 h`, detail: `${r.bounced} of ${r.sent} sent. Check the bounced recipients and the list they came from.`, mailboxId });
    } else if (b < BOUNCE_OK) {
      deps.alerts.resolve(ws, `bounce:${mailboxId}`);
    }
    if (c >= COMPLAINT_HIGH && r.complained > 0) {
      deps.alerts.raise(ws, { kind: 'complaint.spike', severity: 'critical', key: `complaint:${mailboxId}`, title: `${r.email}: ${pct(c)} spam complaints in 24 h`, detail: `${r.complained} of ${r.sent} sent; providers act from 0.3 %.`, mailboxId });
    } else if (r.complained === 0) {
      deps.alerts.resolve(ws, `complaint:${mailboxId}`);
    }
  }

  async function checkDmarc(workspaceId: string, domains: string[]): Promise<void> {
    for (const domain of domains) {
      const s = await deps.dmarc.summary(workspaceId, { domain, days: 7 });
      const d = s.domains.find((x) => x.domain === domain);
      if (!d || d.messages < DMARC_MIN_MESSAGES || d.passPct === null) continue;
      const key = `dmarc:${domain}`;
      if (d.passPct < DMARC_LOW) {
        deps.alerts.raise(workspaceId, {
          kind: 'dmarc.failing',
          severity: 'warning',
          key,
          title: `${domain}: ${d.passPct} % of mail passes DMARC (7 days of reports)`,
          detail: `${plural(d.messages, 'message', 'messages')} reported; DKIM aligned ${d.dkimAlignedPct ?? 0} %, SPF aligned ${d.spfAlignedPct ?? 0} %. See the sources that fail.`,
          domain,
        });
      } else if (d.passPct >= DMARC_OK) {
        deps.alerts.resolve(workspaceId, key);
      }
    }
  }

  // Rates only rise with a bounce or a complaint: check then (not on every send). Recovery is
  // checked with the hourly health scoring.
  const stop = deps.bus.subscribe((e) => {
    if (e.name === 'message.updated') {
      const d = e.data as { mailboxId: string; status: string };
      if (d.status === 'bounced' || d.status === 'complained') checkMailbox(d.mailboxId);
    } else if (e.name === 'dmarc.ingested') {
      const d = e.data as { domains: string[] };
      void checkDmarc(e.workspaceId, d.domains).catch((err: unknown) => deps.log.warn({ err: (err as Error).message }, 'DMARC alert check failed'));
    }
  });
  return { checkMailbox, stop };
}
