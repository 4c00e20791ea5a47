import { z } from 'zod';
import { mailbox } from '../domain/mailbox';
import { messageStatuses } from '../domain/message';
import { warmupStatus } from '../domain/warmup';
import { preferences } from '../domain/preferences';
import { alert } from '../domain/alert';
import { blocklistScan, blocklistSummary } from '../domain/blocklist';
import { webhookStatus } from '../domain/webhook';
import { authCheckUpdate } from '../domain/auth-check';

// Push events: the SSE stream and the IPC `on` channel carry exactly these.
export const events = {
  'message.updated': z.object({
    id: z.string(),
    mailboxId: z.string(),
    status: z.enum(messageStatuses),
    event: z.string(),
    /** The recipient a per-recipient event is about (a placement, a reply): several may happen at once. */
    recipient: z.string().optional(),
  }),
  'mailbox.updated': mailbox,
  'mailbox.deleted': z.object({ id: z.string() }),
  /** A running connection test moved on: the stage now running (null when all passed), those passed and those not used. */
  'mailbox.testProgress': z.object({
    id: z.string(),
    protocol: z.enum(['smtp', 'imap']),
    running: z.string().nullable(),
    passed: z.array(z.string()),
    /** Stages this connection does not use (TLS on security "none"). */
    notUsed: z.array(z.string()).optional(),
  }),
  /** A mailbox's warmup settings or closed-loop state changed. */
  'warmup.updated': warmupStatus,
  /** A CSV import's progress, for its progress bar (the importId the caller chose). */
  'recipients.importProgress': z.object({ importId: z.string(), done: z.number().int(), total: z.number().int() }),
  'recipients.changed': z.object({ kind: z.string(), count: z.number().int() }),
  'preferences.updated': preferences,
  /** A condition started (a new listing, failing authentication, a score drop...). */
  'alert.raised': alert,
  /** That condition ended. */
  'alert.resolved': alert,
  /** A domain's DNS authentication checks ran (on demand or on the daily schedule): its statuses now. */
  'checks.updated': authCheckUpdate,
  /** DMARC reports were read from the reports mailbox or uploaded (domains: of the reports newly stored). */
  'dmarc.ingested': z.object({
    source: z.enum(['imap', 'upload']),
    ingested: z.number().int(),
    duplicates: z.number().int(),
    rejected: z.number().int(),
    skipped: z.number().int(),
    domains: z.array(z.string()),
  }),
  /** A placement test's report changed (a seed's copy was seen or authenticated, a send failed). */
  'placementTests.updated': z.object({ id: z.string() }),
  /** A blocklist scan finished (scheduled or asked for): its counts and the workspace's summary. */
  'blocklists.updated': z.object({ scan: blocklistScan, summary: blocklistSummary }),
  /** A webhook was registered or changed, or Kiln turned it off after repeated failures. */
  'webhook.updated': webhookStatus,
};

export type Events = typeof events;
export type EventName = keyof Events;
export type EventPayload<E extends EventName> = z.output<Events[E]>;
export const eventNames = Object.keys(events) as EventName[];

export interface PushEvent<E extends EventName = EventName> {
  workspaceId: string;
  name: E;
  data: EventPayload<E>;
}
