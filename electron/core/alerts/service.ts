// Alerts: checks say what is true now (`raise` while a condition holds, `resolve` once it ends);
// this store keeps one open alert per condition key, so only changes reach people: a new alert
// emits `alert.raised`, its end `alert.resolved`, and repeating either does nothing.
import type { Alert, AlertInput } from '../../../shared/domain/alert';
import { KilnError } from '../../../shared/errors';
import type { AlertRow } from '../db/schema';
import type { Db } from '../db/connection';
import type { Clock } from '../clock';
import type { EventBus } from '../events/bus';
import type { Logger } from '../log';
import { newId } from '../util/ids';
import { iso } from '../util/time';

const isoOrNull = (ms: number | null): string | null => (ms === null ? null : iso(ms));

export const toAlert = (r: AlertRow): Alert => ({
  id: r.id,
  kind: r.kind as Alert['kind'],
  severity: r.severity as Alert['severity'],
  key: r.key,
  title: r.title,
  detail: r.detail,
  mailboxId: r.mailbox_id,
  domain: r.domain,
  ip: r.ip,
  state: r.state,
  raisedAt: iso(r.raised_at),
  resolvedAt: isoOrNull(r.resolved_at),
  acknowledgedAt: isoOrNull(r.acknowledged_at),
});

/** What alerts use. */
export interface AlertServiceNeeds {
  db: Db;
  clock: Clock;
  bus: EventBus;
  log: Logger;
}

export function alertService(deps: AlertServiceNeeds) {
  const sqlite = deps.db.sqlite;
  const insert = sqlite.prepare(
    `INSERT INTO alerts (id, workspace_id, kind, severity, key, title, detail, mailbox_id, domain, ip, state, raised_at)
     VALUES (@id, @workspace_id, @kind, @severity, @key, @title, @detail, @mailbox_id, @domain, @ip, 'open', @raised_at)
     ON CONFLICT (workspace_id, key) WHERE state = 'open' DO NOTHING`,
  );
  const openByKey = sqlite.prepare(`SELECT * FROM alerts WHERE workspace_id = ? AND key = ? AND state = 'open'`);
  const byId = sqlite.prepare(`SELECT * FROM alerts WHERE workspace_id = ? AND id = ?`);
  const resolveSt = sqlite.prepare(`UPDATE alerts SET state = 'resolved', resolved_at = ? WHERE workspace_id = ? AND key = ? AND state = 'open' RETURNING *`);
  const ackSt = sqlite.prepare(`UPDATE alerts SET acknowledged_at = COALESCE(acknowledged_at, ?) WHERE workspace_id = ? AND id = ? RETURNING *`);

  return {
    /** Open an alert for a condition unless one is open already. Returns the new alert, or null when nothing changed. */
    raise(workspaceId: string, a: AlertInput): Alert | null {
      const row = {
        id: newId('alr'),
        workspace_id: workspaceId,
        kind: a.kind,
        severity: a.severity,
        key: a.key,
        title: a.title,
        detail: a.detail,
        mailbox_id: a.mailboxId ?? null,
        domain: a.domain ?? null,
        ip: a.ip ?? null,
        raised_at: deps.clock.now(),
      };
      if (insert.run(row).changes === 0) return null;
      const alert = toAlert(openByKey.get(workspaceId, a.key) as AlertRow);
      deps.log.info({ alertId: alert.id, kind: alert.kind, key: alert.key }, 'alert raised');
      deps.bus.emit(workspaceId, 'alert.raised', alert);
      return alert;
    },

    /** Close the open alert of a condition, if any. Returns it, or null when none was open. */
    resolve(workspaceId: string, key: string): Alert | null {
      const row = resolveSt.get(deps.clock.now(), workspaceId, key) as AlertRow | undefined;
      if (!row) return null;
      const alert = toAlert(row);
      deps.bus.emit(workspaceId, 'alert.resolved', alert);
      return alert;
    },

    /** The open alert of a condition (checks use it to tell a change from a repeat). */
    open(workspaceId: string, key: string): Alert | null {
      const row = openByKey.get(workspaceId, key) as AlertRow | undefined;
      return row ? toAlert(row) : null;
    },

    async list(workspaceId: string, q: { state: 'open' | 'resolved' | 'all'; limit: number; cursor?: string }) {
      let query = deps.db.kysely.selectFrom('alerts').selectAll().where('workspace_id', '=', workspaceId);
      if (q.state !== 'all') query = query.where('state', '=', q.state);
      if (q.cursor) query = query.where('id', '<', q.cursor);
      const rows = await query.orderBy('id', 'desc').limit(q.limit + 1).execute();
      const page = rows.slice(0, q.limit);
      return { items: page.map(toAlert), nextCursor: rows.length > q.limit ? (page.at(-1)?.id ?? null) : null };
    },

    async acknowledge(workspaceId: string, id: string): Promise<Alert> {
      const row = ackSt.get(deps.clock.now(), workspaceId, id) as AlertRow | undefined;
      if (!row) throw new KilnError('NOT_FOUND', `No alert ${id} in this workspace`);
      return toAlert(row);
    },

    get(workspaceId: string, id: string): Alert {
      const row = byId.get(workspaceId, id) as AlertRow | undefined;
      if (!row) throw new KilnError('NOT_FOUND', `No alert ${id} in this workspace`);
      return toAlert(row);
    },
  };
}
export type AlertService = ReturnType<typeof alertService>;
