// Webhook rows and their deliveries. API reads go through Kysely; the worker's writes are
// synchronous better-sqlite3 statements because an alert's deliveries are written inside the bus
// listener (durable the moment the alert exists) and an attempt's outcome is one transaction.
import type { Db } from '../db/connection';
import type { WebhookDeliveryRow, WebhookRow } from '../db/schema';
import type { DeliveryAttempt, DeliveryStatus } from '../../../shared/domain/webhook';

export type NewDelivery = Pick<WebhookDeliveryRow, 'id' | 'workspace_id' | 'webhook_id' | 'event_type' | 'body' | 'created_at'> & {
  status: DeliveryStatus;
  next_attempt_at: number | null;
  order_key?: string | null;
};

export interface LogQuery {
  webhookId?: string;
  status?: DeliveryStatus;
  type?: string;
  limit: number;
  cursor?: string;
}

export interface AttemptOutcome {
  deliveryId: string;
  webhookId: string;
  attempt: DeliveryAttempt;
  at: number;
  ok: boolean;
  /** When to try again; null when this was the last attempt (or it succeeded). */
  nextAttemptAt: number | null;
}

export function webhookRepository(db: Db) {
  const { kysely, sqlite } = db;
  const st = {
    enabledIn: sqlite.prepare(`SELECT * FROM webhooks WHERE workspace_id = ? AND enabled = 1`),
    insertDelivery: sqlite.prepare(
      `INSERT INTO webhook_deliveries (id, workspace_id, webhook_id, event_type, body, status, attempts, next_attempt_at, attempt_log, created_at, updated_at, order_key)
       VALUES (@id, @workspace_id, @webhook_id, @event_type, @body, @status, 0, @next_attempt_at, '[]', @created_at, @created_at, @order_key)`,
    ),
    // Ordering: a delivery with an order key is due only when no earlier one with that key (lower
    // rowid: inserted before it) is still pending, whether in flight, waiting for a retry or
    // redelivered. So one message's events reach one webhook one after another, in the order they
    // happened, and a failing receiver holds that message's later events until the earlier one is
    // delivered or given up; other messages and webhooks are not held.
    due: sqlite.prepare(
      `SELECT d.* FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id
       WHERE d.status = 'pending' AND d.next_attempt_at <= ? AND w.enabled = 1
         AND (d.order_key IS NULL OR NOT EXISTS (
           SELECT 1 FROM webhook_deliveries e
           WHERE e.order_key = d.order_key AND e.status = 'pending' AND e.order_key IS NOT NULL AND e.rowid < d.rowid))
       ORDER BY d.next_attempt_at, d.rowid LIMIT ?`,
    ),
    // `attempts` counts the current round (it picks the next backoff): a redelivery is a new try by
    // a person and gets the whole retry schedule again. Every attempt stays in attempt_log.
    redeliver: sqlite.prepare(
      `UPDATE webhook_deliveries SET status = 'pending', attempts = 0, next_attempt_at = @now, updated_at = @now
       WHERE id = @id AND workspace_id = @workspace RETURNING *`,
    ),
    webhook: sqlite.prepare(`SELECT * FROM webhooks WHERE id = ?`),
    delivery: sqlite.prepare(`SELECT * FROM webhook_deliveries WHERE id = ?`),
    record: sqlite.prepare(
      `UPDATE webhook_deliveries SET attempts = attempts + 1, status = @status, next_attempt_at = @next, last_status_code = @code,
         last_error = @error, attempt_log = json_insert(attempt_log, '$[#]', json(@attempt)), updated_at = @at,
         delivered_at = CASE WHEN @status = 'delivered' THEN @at ELSE delivered_at END
       WHERE id = @id AND status = 'pending'`,
    ),
    healthy: sqlite.prepare(`UPDATE webhooks SET consecutive_failures = 0, failing_since = NULL WHERE id = ?`),
    failing: sqlite.prepare(
      `UPDATE webhooks SET consecutive_failures = consecutive_failures + 1, failing_since = COALESCE(failing_since, ?) WHERE id = ? RETURNING *`,
    ),
    disable: sqlite.prepare(`UPDATE webhooks SET enabled = 0, disabled_reason = ?, updated_at = ? WHERE id = ? AND enabled = 1 RETURNING *`),
    cancelPending: sqlite.prepare(
      `UPDATE webhook_deliveries SET status = 'failed', next_attempt_at = NULL, last_error = ?, updated_at = ? WHERE webhook_id = ? AND status = 'pending'`,
    ),
    prune: sqlite.prepare(`DELETE FROM webhook_deliveries WHERE status != 'pending' AND updated_at < ?`),
  };

  return {
    insert: (row: WebhookRow) => kysely.insertInto('webhooks').values(row).execute(),

    get: (workspaceId: string, id: string) =>
      kysely.selectFrom('webhooks').selectAll().where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst(),

    list: (workspaceId: string) => kysely.selectFrom('webhooks').selectAll().where('workspace_id', '=', workspaceId).orderBy('created_at').orderBy('id').execute(),

    update: (workspaceId: string, id: string, patch: Partial<WebhookRow>) =>
      kysely.updateTable('webhooks').set(patch).where('workspace_id', '=', workspaceId).where('id', '=', id).returningAll().executeTakeFirst(),

    /** Deliveries go with it (foreign key cascade). */
    delete: (workspaceId: string, id: string) =>
      kysely.deleteFrom('webhooks').where('workspace_id', '=', workspaceId).where('id', '=', id).returningAll().executeTakeFirst(),

    deliveries: async (workspaceId: string, webhookId: string, q: { status?: DeliveryStatus; limit: number; cursor?: string }) => {
      let query = kysely.selectFrom('webhook_deliveries').selectAll().where('workspace_id', '=', workspaceId).where('webhook_id', '=', webhookId);
      if (q.status) query = query.where('status', '=', q.status);
      if (q.cursor) query = query.where('id', '<', q.cursor);
      return query.orderBy('id', 'desc').limit(q.limit + 1).execute();
    },

    /** Across the workspace's webhooks, newest first. */
    deliveryLog: async (workspaceId: string, q: LogQuery) => {
      let query = kysely.selectFrom('webhook_deliveries').selectAll().where('workspace_id', '=', workspaceId);
      if (q.webhookId) query = query.where('webhook_id', '=', q.webhookId);
      if (q.status) query = query.where('status', '=', q.status);
      if (q.type) query = query.where('event_type', '=', q.type);
      if (q.cursor) query = query.where('id', '<', q.cursor);
      return query.orderBy('id', 'desc').limit(q.limit + 1).execute();
    },

    /** Pending again, due now, with a full retry schedule; same id (the webhook-id receivers dedupe by); its attempt log is kept. */
    redeliver: (workspaceId: string, id: string, now: number) => st.redeliver.get({ id, workspace: workspaceId, now }) as WebhookDeliveryRow | undefined,

    // ---- worker (synchronous) ----
    enabledIn: (workspaceId: string) => st.enabledIn.all(workspaceId) as WebhookRow[],
    insertDelivery: (row: NewDelivery) => st.insertDelivery.run({ order_key: null, ...row }),
    due: (now: number, limit: number) => st.due.all(now, limit) as WebhookDeliveryRow[],
    webhookById: (id: string) => st.webhook.get(id) as WebhookRow | undefined,
    deliveryById: (id: string) => st.delivery.get(id) as WebhookDeliveryRow | undefined,

    /**
     * Record one attempt and the webhook's failure streak in one transaction. Returns the webhook
     * after a failure (for the auto-disable rule), or null. A delivery deleted or settled meanwhile
     * (its webhook was deleted or disabled) is left alone.
     */
    recordAttempt: sqlite.transaction((o: AttemptOutcome): WebhookRow | null => {
      const status: DeliveryStatus = o.ok ? 'delivered' : o.nextAttemptAt === null ? 'failed' : 'pending';
      const changed = st.record.run({
        id: o.deliveryId,
        status,
        next: o.ok ? null : o.nextAttemptAt,
        code: o.attempt.statusCode,
        error: o.attempt.error,
        attempt: JSON.stringify(o.attempt),
        at: o.at,
      }).changes;
      if (changed === 0) return null;
      if (o.ok) {
        st.healthy.run(o.webhookId);
        return null;
      }
      return (st.failing.get(o.at, o.webhookId) as WebhookRow | undefined) ?? null;
    }),

    /** Turn a webhook off and fail what it still had pending (so re-enabling does not replay a backlog). */
    disable: sqlite.transaction((id: string, reason: string, now: number): WebhookRow | null => {
      const row = st.disable.get(reason, now, id) as WebhookRow | undefined;
      if (!row) return null;
      st.cancelPending.run(`webhook disabled: ${reason}`, now, id);
      return row;
    }),

    cancelPending: (webhookId: string, reason: string, now: number) => st.cancelPending.run(reason, now, webhookId).changes,

    /** Forget settled deliveries older than `before`. */
    prune: (before: number) => st.prune.run(before).changes,
  };
}
export type WebhookRepository = ReturnType<typeof webhookRepository>;
