// Messages: sending, reading and retrying.
import { z } from 'zod';
import { method } from '../define';
import { message, messageStatuses, messageWithEvents } from '../../domain/message';
import { id, addressList, cursorPage, limit } from './common';

const messageSend = z
  .object({
    mailboxId: z.string().min(1).max(64),
    to: addressList.min(1),
    cc: addressList.optional(),
    bcc: addressList.optional(),
    subject: z.string().max(998),
    text: z.string().max(2_000_000).optional(),
    html: z.string().max(2_000_000).optional(),
    idempotencyKey: z.string().min(1).max(200).optional(),
  })
  .refine((m) => m.text !== undefined || m.html !== undefined, { message: 'text or html is required', path: ['text'] });

export const messagesMethods = {
  'messages.send': method({
    http: { method: 'POST', path: '/messages', status: 202 },
    scope: 'send',
    summary: 'Queue a message for sending; repeat-safe with an idempotency key',
    input: messageSend,
    output: z.object({ id: z.string(), status: z.enum(messageStatuses), messageId: z.string() }),
  }),
  'messages.get': method({
    http: { method: 'GET', path: '/messages/{id}' },
    scope: 'read',
    summary: 'A message with its recipients and event log',
    input: id,
    output: messageWithEvents,
  }),
  'messages.list': method({
    http: { method: 'GET', path: '/messages' },
    scope: 'read',
    summary: 'Messages, newest first',
    input: z.object({
      mailboxId: z.string().max(64).optional(),
      status: z.enum(messageStatuses).optional(),
      limit,
      cursor: z.string().max(200).optional(),
    }),
    output: cursorPage(message),
  }),
  'messages.retry': method({
    http: { method: 'POST', path: '/messages/{id}/retry' },
    scope: 'send',
    summary: 'Queue a failed message again (explicit: after an interrupted send Kiln resends on its own only once, when a mailbox it reads shows the message did not arrive)',
    input: id,
    output: message,
  }),
};
