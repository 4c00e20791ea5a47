import { createHash } from 'node:crypto';
import type { ParsedInput } from '../../../shared/api/table';
import type { Message, MessageWithEvents, SendError } from '../../../shared/domain/message';
import { KilnError } from '../../../shared/errors';
import type { Db } from '../db/connection';
import type { MessageRow } from '../db/schema';
import type { Clock } from '../clock';
import type { EventBus } from '../events/bus';
import type { SuppressionService } from '../suppressions/service';
import type { TemplateService } from '../templates/service';
import { mailboxRepository } from '../mailboxes/repository';
import { newId, newMessageId, newRef } from '../util/ids';
import { parseJson } from '../util/json';
import { toEvent, toMessage, toPlacement } from './mapper';
import { messageRepository, type NewRecipient } from './repository';
import { filterOf, messagesQuery } from './list-query';
import { requeueFailed } from './retry';
import { exportMessages, retryMany } from './bulk';
import { messageContent } from './content';
import { checkHeaders, dueAt, tagsOf } from './send-options';
import { deadLetterReason, discard } from './dead-letters';

type SendInput = ParsedInput<'messages.send'>;

/** Every field but the key (the send options included); the default `suppressed` hashes as if omitted. */
function requestHash(input: SendInput): string {
  const { idempotencyKey: _key, suppressed, ...rest } = input;
  return createHash('sha256')
    .update(JSON.stringify(suppressed === 'skip' ? { ...rest, suppressed } : rest))
    .digest('hex');
}

function isUniqueViolation(e: unknown): boolean {
  return typeof e === 'object' && e !== null && (e as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE';
}

/** What the message service uses; `kick` wakes the dispatcher (a no-op when dispatch is off). */
export interface MessageServiceNeeds {
  db: Db;
  clock: Clock;
  bus: EventBus;
  suppressions: Pick<SuppressionService, 'suppressed'>;
  templates: Pick<TemplateService, 'renderForSend'>;
  kick: (mailboxId?: string) => void;
}

export function messageService(deps: MessageServiceNeeds) {
  const db = deps.db.kysely;
  const repo = messageRepository(db);
  const mailboxes = mailboxRepository(db);
  const { clock, bus } = deps;

  async function withRecipients(rows: MessageRow[]): Promise<Message[]> {
    const recips = await repo.recipientsOf(rows.map((r) => r.id));
    const by = new Map<string, typeof recips>();
    for (const r of recips) (by.get(r.message_id) ?? by.set(r.message_id, []).get(r.message_id)!).push(r);
    return rows.map((r) => toMessage(r, by.get(r.id) ?? []));
  }

  async function mustGet(workspaceId: string, id: string) {
    const row = await repo.get(workspaceId, id);
    if (!row) throw new KilnError('NOT_FOUND', `No message ${id} in this workspace`);
    return row;
  }

  return {
    async enqueue(workspaceId: string, input: SendInput, kind: Message['kind'] = 'api', thread?: { inReplyTo: string; references: string }) {
      const hash = requestHash(input);
      if (input.idempotencyKey) {
        const existing = await repo.byIdempotencyKey(workspaceId, input.idempotencyKey);
        if (existing) return replay(existing, hash, input.suppressed === 'skip');
      }
      const mailbox = await mailboxes.get(workspaceId, input.mailboxId);
      if (!mailbox) throw new KilnError('NOT_FOUND', `No mailbox ${input.mailboxId} in this workspace`);
      const headers = checkHeaders(input.headers);
      const tags = tagsOf(input.tags);
      const now = clock.now();
      const due = dueAt(input.sendAt, now);
      const content = await contentOf(workspaceId, input);

      let recipients: NewRecipient[] = [
        ...input.to.map((address) => ({ kind: 'to' as const, address })),
        ...(input.cc ?? []).map((address) => ({ kind: 'cc' as const, address })),
        ...(input.bcc ?? []).map((address) => ({ kind: 'bcc' as const, address })),
      ];
      const blocked = await deps.suppressions.suppressed(workspaceId, recipients.map((r) => r.address));
      // 'skip' sends to the others; with nobody left there is nothing to send.
      if (blocked.length > 0 && (input.suppressed !== 'skip' || blocked.length === new Set(recipients.map((r) => r.address)).size)) {
        throw new KilnError('RECIPIENT_SUPPRESSED', `Suppressed recipients: ${blocked.join(', ')}`, { addresses: blocked });
      }
      const skipped = new Set(blocked);
      recipients = recipients.filter((r) => !skipped.has(r.address));

      const row = {
        id: newId('msg'),
        workspace_id: workspaceId,
        mailbox_id: mailbox.id,
        kind,
        status: 'queued',
        message_id: newMessageId(mailbox.email),
        from_addr: mailbox.email,
        subject: content.subject,
        template_id: content.templateId,
        template_version: content.templateVersion,
        idempotency_key: input.idempotencyKey ?? null,
        request_hash: hash,
        attempts: 0,
        // A scheduled send simply waits in the queue: the dispatcher's due scan skips it until then.
        next_attempt_at: due,
        last_error: null,
        created_at: now,
        updated_at: now,
        sent_at: null,
        ref: newRef(),
        in_reply_to: thread?.inReplyTo ?? null,
        references: thread?.references ?? null,
        reply_to: input.replyTo ?? null,
        extra_headers: headers ? JSON.stringify(headers) : null,
        tags: tags.length > 0 ? JSON.stringify(tags) : null,
      };
      try {
        await db.transaction().execute(async (trx) => {
          await repo.insert(trx, row, { text_body: content.text, html_body: content.html }, recipients, tags);
          const extra = { ...(due > now ? { sendAt: new Date(due).toISOString() } : {}), ...(blocked.length > 0 ? { skipped: blocked } : {}) };
          await repo.appendEvent(trx, row, now, 'queued', { kind, recipients: recipients.length, ...extra });
        });
      } catch (e) {
        // Two requests raced with the same key: the loser answers with the winner's message.
        if (input.idempotencyKey && isUniqueViolation(e)) {
          const existing = await repo.byIdempotencyKey(workspaceId, input.idempotencyKey);
          if (existing) return replay(existing, hash, input.suppressed === 'skip');
        }
        throw e;
      }
      bus.emit(workspaceId, 'message.updated', { id: row.id, mailboxId: row.mailbox_id, status: 'queued', event: 'queued' });
      deps.kick(row.mailbox_id);
      return { id: row.id, status: 'queued' as const, messageId: row.message_id, ...(input.suppressed === 'skip' ? { skipped: blocked } : {}) };
    },

    async get(workspaceId: string, id: string): Promise<MessageWithEvents> {
      const row = await mustGet(workspaceId, id);
      const [recipients, events, placements] = await Promise.all([repo.recipients(id), repo.events(id), repo.placements(id)]);
      return { ...toMessage(row, recipients), events: events.map(toEvent), placements: placements.map(toPlacement) };
    },

    async list(workspaceId: string, input: ParsedInput<'messages.list'>) {
      const before = input.cursor ? decodeCursor(input.cursor) : undefined;
      const rows = await messagesQuery(db, workspaceId, filterOf(input), before).selectAll('m').limit(input.limit + 1).execute();
      const page = rows.slice(0, input.limit);
      const last = page.at(-1);
      return {
        items: await withRecipients(page),
        nextCursor: rows.length > input.limit && last ? encodeCursor(last.created_at, last.id) : null,
      };
    },

    content: (workspaceId: string, id: string) => messageContent(db, repo, workspaceId, id),

    /** Explicit resend of a failed message, e.g. one whose send was interrupted by a crash. */
    async retry(workspaceId: string, id: string): Promise<Message> {
      const row = await requeueFailed({ db, repo, clock, bus }, workspaceId, id);
      deps.kick(row.mailbox_id);
      const updated = await mustGet(workspaceId, id);
      return toMessage(updated, await repo.recipients(id));
    },

    retryMany: (workspaceId: string, input: ParsedInput<'messages.retryMany'>) => retryMany({ db, repo, clock, bus, kick: deps.kick }, workspaceId, input),

    export: (workspaceId: string, input: ParsedInput<'messages.export'>) => exportMessages(db, workspaceId, input, clock.now()),

    /** The list's query with status failed: a discarded message has left it (status discarded). */
    async deadLetters(workspaceId: string, input: ParsedInput<'messages.deadLetters'>) {
      const page = await this.list(workspaceId, { ...input, status: 'failed' });
      return { items: page.items.map((m) => ({ ...m, reason: deadLetterReason(m) })), nextCursor: page.nextCursor };
    },

    discard: (workspaceId: string, input: ParsedInput<'messages.discard'>) => discard({ db, repo, clock, bus }, workspaceId, input),

    /** Messages still waiting when their mailbox goes away fail explicitly rather than linger. */
    async failQueuedForMailbox(mailboxId: string, error: SendError): Promise<number> {
      const now = clock.now();
      return db.transaction().execute(async (trx) => {
        const rows = await trx
          .updateTable('messages')
          .set({ status: 'failed', last_error: JSON.stringify(error), next_attempt_at: null, updated_at: now })
          .where('mailbox_id', '=', mailboxId)
          .where('status', 'in', ['planned', 'queued', 'retry_scheduled'])
          .returning(['id', 'workspace_id'])
          .execute();
        for (const r of rows) await repo.appendEvent(trx, r, now, 'failed', { error });
        return rows.length;
      });
    },

    /** New credentials (a reconnect): mail waiting out a retry delay for this mailbox is due now. */
    async retryNowForMailbox(mailboxId: string): Promise<number> {
      const now = clock.now();
      const r = await db
        .updateTable('messages')
        .set({ next_attempt_at: now, updated_at: now })
        .where('mailbox_id', '=', mailboxId)
        .where('status', '=', 'retry_scheduled')
        .where('next_attempt_at', '>', now)
        .executeTakeFirst();
      return Number(r.numUpdatedRows);
    },
  };

  /** The content to store: given directly, or rendered once from a template (retries send these bytes). */
  async function contentOf(workspaceId: string, input: SendInput) {
    if (input.templateId !== undefined) {
      const r = await deps.templates.renderForSend(workspaceId, input.templateId, input.templateVersion, input.variables ?? {});
      return { subject: r.subject, text: r.text, html: r.html, templateId: r.templateId, templateVersion: r.version };
    }
    if (input.subject === undefined) throw new KilnError('VALIDATION_FAILED', 'subject is required', { fields: [{ path: 'subject', message: 'Required' }] });
    return { subject: input.subject, text: input.text ?? null, html: input.html ?? null, templateId: null, templateVersion: null };
  }

  async function replay(existing: { id: string; status: string; message_id: string; request_hash: string | null }, hash: string, skip: boolean) {
    if (existing.request_hash !== hash) {
      throw new KilnError('IDEMPOTENCY_CONFLICT', 'This idempotency key was already used with a different request', { id: existing.id });
    }
    const first = { id: existing.id, status: existing.status as Message['status'], messageId: existing.message_id };
    if (!skip) return first;
    // The repeat answers as the first did: the skipped addresses are in the queued event.
    const queued = await db.selectFrom('message_events').select('data').where('message_id', '=', existing.id).where('type', '=', 'queued').orderBy('id').executeTakeFirst();
    return { ...first, skipped: parseJson<{ skipped?: string[] }>(queued?.data ?? null)?.skipped ?? [] };
  }
}
export type MessageService = ReturnType<typeof messageService>;

function encodeCursor(at: number, id: string): string {
  return Buffer.from(`${at}:${id}`).toString('base64url');
}
function decodeCursor(c: string): { at: number; id: string } {
  const [at, id] = Buffer.from(c, 'base64url').toString().split(':');
  if (!at || !id || !Number.isFinite(Number(at))) throw new KilnError('VALIDATION_FAILED', 'cursor is not valid', { fields: [{ path: 'cursor', message: 'invalid' }] });
  return { at: Number(at), id };
}
