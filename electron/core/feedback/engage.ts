import type { ImapFlow } from 'imapflow';
import type { MailboxRow, MessageRow, PlacementRow } from '../db/schema';
import type { FeedbackStore } from './store';
import type { EngagementPlan, EngagementSettings } from './plan';
import { parseJson } from '../util/json';
import { REF_HEADER } from '../mail/headers';
import { composeReply } from './reply';
import type { FeedbackLoop } from '../providers';
import { addFlags, deleteMessage, ensureFolder, locate as locateUid, moveMessages, removeFlags, withFolder, type RecordedUid } from '../mail/imap';

export interface EngageContext {
  store: FeedbackStore;
  engagement: EngagementSettings;
  now(): number;
  /** Queue a reply from `from` through its own SMTP; resolves false if it may not be sent (suppressed). */
  sendReply(from: MailboxRow, original: MessageRow, text: string, subject: string): Promise<boolean>;
  originalText(messageId: string): string;
  /** Null when Kiln may no longer engage with this message here (consent withdrawn since its plan). */
  engagementFor(m: MessageRow, receiver: MailboxRow): EngagementSettings | null;
  /** A reply to `original` was queued (announced as message.updated, event `replied`). */
  onReplied?(original: MessageRow, recipient: string): void;
}

const PER_ROUND = 20;

/** Carry out the due steps of each placement's plan, recording each step as it completes. */
export async function engageDue(client: ImapFlow, ctx: EngageContext, mailbox: MailboxRow, loop: FeedbackLoop): Promise<number> {
  const due = ctx.store.due(mailbox.id, ctx.now(), PER_ROUND);
  for (const p of due) await engageOne(client, ctx, mailbox, p, loop);
  await removeExpired(client, ctx, mailbox);
  return due.length;
}

/** Move this mailbox's own Sent copies of Kiln mail into the filing folder, so Sent stays the user's. */
export async function fileSentCopies(client: ImapFlow, ctx: EngageContext, sentFolder: string, copies: { uid: number; message: MessageRow }[]): Promise<void> {
  const filing = ctx.engagement.filing;
  if (filing.mode !== 'folder' || copies.length === 0) return;
  await ensureFolder(client, filing.folder);
  await withFolder(client, sentFolder, async () => {
    for (const { uid, message } of copies) {
      await moveMessages(client, uid, filing.folder);
      ctx.store.event(message, 'sent_filed', { folder: filing.folder }, ctx.now());
    }
    return null;
  });
}

/** Delete filed copies past the retention period: Kiln owns the cleanup of what it filed. */
async function removeExpired(client: ImapFlow, ctx: EngageContext, mailbox: MailboxRow): Promise<void> {
  for (const p of ctx.store.expired(mailbox.id, ctx.now() - ctx.engagement.retentionMs, PER_ROUND)) {
    const original = ctx.store.message(p.message_id);
    if (original && p.folder) {
      await withFolder(client, p.folder, async () => {
        const uid = await locate(client, p, original);
        if (uid !== null) await deleteMessage(client, uid);
        return uid;
      });
    }
    ctx.store.engaged(p, { removed_at: ctx.now() }, { type: 'removed', data: { folder: p.folder } }, ctx.now());
  }
}

async function engageOne(client: ImapFlow, ctx: EngageContext, mailbox: MailboxRow, p: PlacementRow, loop: FeedbackLoop): Promise<void> {
  const plan = parseJson<EngagementPlan>(p.plan);
  const original = ctx.store.message(p.message_id);
  if (!plan || !original || !p.folder || !ctx.engagementFor(original, mailbox)) return finish(ctx, p);
  let at = { folder: p.folder, uid: p.uid, uidvalidity: p.uidvalidity };

  // 1. Flags first, then the move: a STORE after MOVE would hit a UID that no longer exists.
  const flags: string[] = [];
  if (plan.open && !p.opened_at) flags.push('\\Seen');
  if (plan.flag && !p.flagged_at) flags.push('\\Flagged');
  const rescue = plan.rescue && p.placement === 'spam' && !p.rescued_at;
  if (rescue) flags.push(...loop.notJunkFlags);
  if (flags.length > 0 || rescue) {
    const found = await withFolder(client, at.folder, async () => {
      const uid = await locate(client, at, original);
      if (uid === null) return null;
      if (flags.length > 0) await addFlags(client, uid, flags);
      if (rescue && loop.junkFlags.length > 0) await removeFlags(client, uid, loop.junkFlags);
      const now = ctx.now();
      if (flags.includes('\\Seen')) ctx.store.engaged(p, { opened_at: now }, { type: 'opened', data: { folder: at.folder } }, now);
      if (flags.includes('\\Flagged')) ctx.store.engaged(p, { flagged_at: now }, { type: 'flagged', data: { folder: at.folder } }, now);
      if (!rescue) return uid;
      const { uid: newUid, uidvalidity } = await moveMessages(client, uid, 'INBOX');
      ctx.store.engaged(p, { rescued_at: ctx.now(), folder: 'INBOX', uid: newUid, uidvalidity }, { type: 'rescued', data: { from: at.folder } }, ctx.now());
      at = { folder: 'INBOX', uid: newUid, uidvalidity };
      return newUid;
    });
    if (found === null) return finish(ctx, p); // gone (deleted by a person): nothing more to do
  }

  // 2. Reply in thread, from this mailbox through its own SMTP.
  if (plan.reply && !p.replied_at) {
    const { subject, text } = composeReply(original, ctx.originalText(original.id), ctx.now());
    const queued = await ctx.sendReply(mailbox, original, text, subject);
    ctx.store.engaged(p, { replied_at: ctx.now() }, { type: queued ? 'replied' : 'reply_skipped', data: {} }, ctx.now());
    if (queued) ctx.onReplied?.(original, p.recipient);
  }

  // 3. File it where the settings say, once the rest is done.
  if (plan.file && !p.filed_at && at.folder !== plan.file) {
    const target = plan.file;
    await ensureFolder(client, target);
    await withFolder(client, at.folder, async () => {
      const uid = await locate(client, at, original);
      if (uid === null) return null;
      const { uid: newUid, uidvalidity } = await moveMessages(client, uid, target);
      ctx.store.engaged(p, { filed_at: ctx.now(), folder: target, uid: newUid, uidvalidity }, { type: 'filed', data: { folder: target } }, ctx.now());
      return newUid;
    });
  }
  finish(ctx, p);
}

function finish(ctx: EngageContext, p: PlacementRow): void {
  ctx.store.engaged(p, { engage_after: null }, null, ctx.now());
}

/** The message's UID in the open folder: the recorded one if still valid, else found by its token. */
function locate(client: ImapFlow, at: RecordedUid, m: MessageRow): Promise<number | null> {
  return locateUid(client, at, { name: REF_HEADER, value: m.ref });
}
