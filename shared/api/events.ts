import { z } from 'zod';
import { mailbox } from '../domain/mailbox';
import { messageStatuses } from '../domain/message';
import { warmupStatus } from '../domain/warmup';

// Push events: the SSE stream and the IPC `on` channel carry exactly these.
export const events = {
  'message.updated': z.object({
    id: z.string(),
    mailboxId: z.string(),
    status: z.enum(messageStatuses),
    event: z.string(),
  }),
  'mailbox.updated': mailbox,
  'mailbox.deleted': z.object({ id: z.string() }),
  /** A mailbox's warmup settings or closed-loop state changed. */
  'warmup.updated': warmupStatus,
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
