// Messages: sending, reading and retrying.
import { z } from 'zod';
import { method } from '../define';
import { message, messageKinds, messageStatuses, messageWithEvents, placements } from '../../domain/message';
import { templateValues } from '../../domain/template';
import { id, addressList, cursorPage, limit } from './common';

const messageSend = z
  .object({
    mailboxId: z.string().min(1).max(64),
    to: addressList.min(1),
    cc: addressList.optional(),
    bcc: addressList.optional(),
    subject: z.string().max(998).optional(),
    text: z.string().max(2_000_000).optional(),
    html: z.string().max(2_000_000).optional(),
    /** Instead of subject/text/html: a template of this workspace, rendered with `variables`. */
    templateId: z.string().min(1).max(64).optional(),
    /** The template version to render; the latest when absent. */
    templateVersion: z.number().int().min(1).optional(),
    variables: templateValues.optional(),
    idempotencyKey: z.string().min(1).max(200).optional(),
  })
  .superRefine((m, ctx) => {
    // Exactly one way to give the content: the content itself, or a template and its variables.
    const direct = m.subject !== undefined || m.text !== undefined || m.html !== undefined;
    if (m.templateId !== undefined) {
      if (direct) ctx.addIssue({ code: 'custom', path: ['templateId'], message: 'give either templateId (with variables) or subject with text/html, not both' });
      return;
    }
    if (m.templateVersion !== undefined || m.variables !== undefined) ctx.addIssue({ code: 'custom', path: ['templateId'], message: 'templateVersion and variables need a templateId' });
    if (m.subject === undefined) ctx.addIssue({ code: 'custom', path: ['subject'], message: 'subject is required (or give templateId)' });
    if (m.text === undefined && m.html === undefined) ctx.addIssue({ code: 'custom', path: ['text'], message: 'text or html is required (or give templateId)' });
  });

/** The list's filters, shared by list, export and bulk retry (all server-side, on indexes). */
export const messageFilter = z.object({
  mailboxId: z.string().max(64).optional(),
  status: z.enum(messageStatuses).optional(),
  kind: z.enum(messageKinds).optional(),
  /** Messages with at least one recipient placement of this kind. */
  placement: z.enum(placements).optional(),
  /** On created_at, inclusive. */
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  /** A recipient address (exact or prefix) or, without an `@`, also a subject fragment. */
  q: z.string().trim().min(1).max(320).optional(),
});

export const messageHeader = z.object({ name: z.string(), value: z.string() });

export const messageContent = z.object({
  id: z.string(),
  /** The headers as Kiln's sender builds them (the transport adds DKIM-Signature on the way out). */
  headers: z.array(messageHeader),
  text: z.string().nullable(),
  html: z.string().nullable(),
});

export const retryManyResult = z.object({
  retried: z.number().int(),
  skipped: z.number().int(),
  retriedIds: z.array(z.string()),
  /** Why each skipped message was not queued again (NOT_FOUND, CONFLICT: not failed…). */
  reasons: z.array(z.object({ id: z.string(), code: z.string(), message: z.string() })),
});

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
    input: messageFilter.extend({ limit, cursor: z.string().max(200).optional() }),
    output: cursorPage(message),
  }),
  'messages.content': method({
    http: { method: 'GET', path: '/messages/{id}/content' },
    scope: 'read',
    summary: 'The headers Kiln sends for a message and its text and HTML bodies',
    input: id,
    output: messageContent,
  }),
  'messages.retryMany': method({
    http: { method: 'POST', path: '/messages/retry' },
    scope: 'send',
    summary: 'Queue failed messages again: the given ids (up to 500) or every failed message matching a filter (up to 5000)',
    input: z
      .object({
        ids: z.array(z.string().min(1).max(64)).min(1).max(500).optional(),
        filter: messageFilter.omit({ status: true }).optional(),
      })
      .refine((v) => (v.ids === undefined) !== (v.filter === undefined), { message: 'give ids or filter, not both', path: ['ids'] }),
    output: retryManyResult,
  }),
  'messages.export': method({
    http: { method: 'GET', path: '/messages/export' },
    scope: 'read',
    summary: 'The filtered message list as CSV (newest first, at most 10000 rows)',
    input: messageFilter,
    output: z.object({ filename: z.string(), count: z.number().int(), csv: z.string(), truncated: z.boolean() }),
  }),
  'messages.retry': method({
    http: { method: 'POST', path: '/messages/{id}/retry' },
    scope: 'send',
    summary: 'Queue a failed message again (explicit: after an interrupted send Kiln resends on its own only once, when a mailbox it reads shows the message did not arrive)',
    input: id,
    output: message,
  }),
};
