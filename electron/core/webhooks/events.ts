// Which bus events become webhook events, and what they carry. Runs inside the bus listener, so
// everything here is a few primary-key reads on prepared statements: no I/O beyond SQLite, and
// nothing at all for events no webhook maps to (queued, sending, retries). Payloads name the
// message, its sender and recipients and the server's answer: never a body, never a secret.
import type { Db } from '../db/connection';
import type { MessageRow } from '../db/schema';
import type { PushEvent } from '../../../shared/api/events';
import type { MessageEventData, WebhookEventType } from '../../../shared/domain/webhook';
import { parseJson } from '../util/json';

export interface WebhookEvent {
  type: WebhookEventType;
  data: unknown;
  /** Deliveries sharing it (per webhook) are sent one after another; null: no order needed. */
  orderKey: string | null;
}

/** The `event` strings of `message.updated` each webhook type stands for. */
const messageTypes: Record<string, WebhookEventType> = {
  sent: 'message.sent',
  settled: 'message.sent',
  failed: 'message.failed',
  bounced: 'message.bounced',
  sender_rejected: 'message.bounced',
  complained: 'message.complained',
  replied: 'message.replied',
};

/** What the bus event means for webhooks, before anything is read: null for events nobody hears. */
export function webhookTypeOf(e: PushEvent): WebhookEventType | null {
  if (e.name === 'alert.raised' || e.name === 'alert.resolved') return e.name;
  if (e.name === 'warmup.updated') return 'warmup.stateChanged';
  if (e.name !== 'message.updated') return null;
  const ev = (e.data as PushEvent<'message.updated'>['data']).event;
  return ev.startsWith('placement:') ? 'message.placed' : (messageTypes[ev] ?? null);
}

export function webhookEvents(db: Db) {
  const q = {
    message: db.sqlite.prepare('SELECT * FROM messages WHERE id = ?'),
    recipients: db.sqlite.prepare('SELECT address FROM message_recipients WHERE message_id = ? ORDER BY rowid').pluck(),
    lastEvent: db.sqlite.prepare('SELECT data FROM message_events WHERE message_id = ? AND type = ? ORDER BY id DESC LIMIT 1').pluck(),
    // The bounce events of one report: a DSN may name several recipients (one event each).
    reportBounces: db.sqlite
      .prepare("SELECT data FROM message_events WHERE message_id = ? AND type IN ('bounced', 'sender_rejected') AND json_extract(data, '$.report') = ? ORDER BY id")
      .pluck(),
    placed: db.sqlite.prepare('SELECT recipient, folder FROM message_placements WHERE message_id = ? AND recipient = ?'),
    warmupStates: db.sqlite.prepare('SELECT mailbox_id, state FROM warmup_settings'),
  };
  // The closed loop's last state per mailbox: `warmup.updated` also fires for ramp edits and
  // reasons that change while the state does not, and only a real change is an event.
  const states = new Map<string, string>();
  for (const r of q.warmupStates.all() as { mailbox_id: string; state: string }[]) states.set(r.mailbox_id, r.state);

  const lastEvent = (id: string, type: string) => parseJson<Record<string, unknown>>((q.lastEvent.get(id, type) as string | undefined) ?? null) ?? {};

  function messageData(type: WebhookEventType, u: PushEvent<'message.updated'>['data'], m: MessageRow): Record<string, unknown> {
    const { event: ev, status } = u;
    const base: MessageEventData = {
      messageId: m.id,
      messageIdHeader: m.message_id,
      mailboxId: m.mailbox_id,
      from: m.from_addr,
      kind: m.kind,
      status,
      recipients: q.recipients.all(m.id) as string[],
    };
    switch (type) {
      case 'message.sent': {
        const d = lastEvent(m.id, ev);
        return { ...base, smtpResponse: d.response ?? null, accepted: d.accepted ?? null };
      }
      case 'message.failed':
        return { ...base, error: lastEvent(m.id, 'failed').error ?? null };
      case 'message.bounced': {
        const d = lastEvent(m.id, ev);
        const of = (e: Record<string, unknown>) => ({ recipient: e.recipient ?? null, bounceType: e.type ?? null, dsnStatus: e.status ?? null, diagnostic: e.diagnostic ?? null });
        // One bus event per report: every recipient that report bounced is in `bounces`, the first also at the top.
        const all = typeof d.report === 'string' ? (q.reportBounces.all(m.id, d.report) as string[]).map((j) => of(parseJson<Record<string, unknown>>(j) ?? {})) : [];
        return { ...base, ...(all[0] ?? of(d)), bounces: all.length > 0 ? all : [of(d)] };
      }
      case 'message.complained': {
        const d = lastEvent(m.id, 'complained');
        return { ...base, recipient: d.recipient ?? null, feedbackType: d.feedbackType ?? null };
      }
      case 'message.placed': {
        // The bus event names its recipient: several recipients placed in the same round (the
        // same millisecond) each get their own event, so "the latest placement" would be ambiguous.
        const placement = ev.slice('placement:'.length);
        const p = u.recipient === undefined ? undefined : (q.placed.get(m.id, u.recipient) as { recipient: string; folder: string | null } | undefined);
        return { ...base, placement, recipient: u.recipient ?? null, folder: p?.folder ?? null };
      }
      case 'message.replied':
        return { ...base, recipient: u.recipient ?? lastEvent(m.id, 'replied').recipient ?? null };
      default:
        return base;
    }
  }

  /** The webhook event a bus event stands for, with its payload; null when it is none. */
  return function toWebhookEvent(e: PushEvent, type: WebhookEventType): WebhookEvent | null {
    if (type === 'alert.raised' || type === 'alert.resolved') return { type, data: e.data, orderKey: null };
    if (type === 'warmup.stateChanged') {
      const w = e.data as PushEvent<'warmup.updated'>['data'];
      const before = states.get(w.mailboxId);
      states.set(w.mailboxId, w.state);
      // A warmup seen for the first time (just created) starts in a state; that is not a change.
      if (before === undefined || before === w.state) return null;
      return { type, data: { mailboxId: w.mailboxId, from: before, to: w.state, reason: w.reason, reasonCode: w.reasonCode, until: w.until }, orderKey: `warmup:${w.mailboxId}` };
    }
    const u = e.data as PushEvent<'message.updated'>['data'];
    const m = q.message.get(u.id) as MessageRow | undefined;
    if (!m) return null;
    return { type, data: messageData(type, u, m), orderKey: `message:${m.id}` };
  };
}
export type ToWebhookEvent = ReturnType<typeof webhookEvents>;
