// Messages: sending, reading and retrying.
import { z } from 'zod';
import { method } from '../define';
import { message, messageKinds, messageStatuses, messageWithEvents, placements } from '../../domain/message';
import { templateValues } from '../../domain/template';
import { id, addressList, cursorPage, email, limit } from './common';

/** Options of messages.send beyond the bodies; the header allow-list is checked in the core (a coded 400 naming the header). */
const sendOptions = {
  replyTo: email.optional(),
  /** Extra headers by name (X-* custom headers and a few harmless standard ones; see the README). */
  headers: z.record(z.string().min(1).max(76), z.string().max(998)).optional(),
  tags: z.array(z.string().trim().min(1).max(64).regex(/^[\w.:@/+-]+$/, 'letters, digits and . _ : @ / + - only')).max(10).optional(),
  /** Send at this time (up to 30 days ahead); a time in the past sends now. */
  sendAt: z.iso.datetime({ offset: true }).optional(),
  /** Suppressed recipients: 'reject' the message (the default) or 'skip' them and send to the others. */
  suppressed: z.enum(['reject', 'skip']).optional(),
};

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
    ...sendOptions,
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
  /** Messages carrying this tag. */
  tag: z.string().trim().min(1).max(64).optional(),
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

export const deadLetter = message.extend({
  /** Why it is a dead letter, in words: retries exhausted, a permanent failure, an interrupted send… */
  reason: z.string(),
});

export const discardResult = z.object({
  discarded: z.number().int(),
  skipped: z.number().int(),
  discardedIds: z.array(z.string()),
  reasons: z.array(z.object({ id: z.string(), code: z.string(), message: z.string() })),
});

export const messagesMethods = {
  'messages.send': method({
    http: { method: 'POST', path: '/messages', status: 202 },
    scope: 'send',
    summary: 'Queue a message for sending; repeat-safe with an idempotency key',
    input: messageSend,
    output: z.object({
      id: z.string(),
      status: z.enum(messageStatuses),
      messageId: z.string(),
      /** With suppressed: 'skip', the suppressed addresses the message was not addressed to. */
      skipped: z.array(z.string()).optional(),
    }),
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
  'messages.deadLetters': method({
    http: { method: 'GET', path: '/messages/dead-letters' },
    scope: 'read',
    summary: 'Dead letters: failed messages (retries exhausted or a permanent failure) not yet discarded, newest first, with the reason',
    input: messageFilter.omit({ status: true }).extend({ limit, cursor: z.string().max(200).optional() }),
    output: cursorPage(deadLetter),
  }),
  'messages.discard': method({
    http: { method: 'POST', path: '/messages/discard' },
    scope: 'send',
    summary: 'Discard dead letters: the given ids (up to 500) or every dead letter matching a filter (up to 5000); kept for the record, never retried',
    input: z
      .object({
        ids: z.array(z.string().min(1).max(64)).min(1).max(500).optional(),
        filter: messageFilter.omit({ status: true }).optional(),
      })
      .refine((v) => (v.ids === undefined) !== (v.filter === undefined), { message: 'give ids or filter, not both', path: ['ids'] }),
    output: discardResult,
  }),
};
