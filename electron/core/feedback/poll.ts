import type { ImapFlow } from 'imapflow';
import type { MailboxRow, MessageRow } from '../db/schema';
import type { WatchedFolder } from '../mail/imap';
import type { FeedbackStore } from './store';
import { refFromHeaders } from './recognise';
import { REF_HEADER } from '../mail/headers';
import { drawPlan, dwell, noPlan, type EngagementSettings } from './plan';

export interface PollContext {
  store: FeedbackStore;
  engagement: EngagementSettings;
  /**
   * The engagement rates for one message received by `receiver` (warmup mail follows its sender's
   * ramp), or null when Kiln may only record where it landed (see consent.ts).
   */
  engagementFor(m: MessageRow, receiver: MailboxRow): EngagementSettings | null;
  messageByRef(ref: string): MessageRow | undefined;
  now(): number;
  /** A first sighting of `m` at `recipient` (one event per recipient, with its folder). */
  onPlacement(m: MessageRow, placement: string, recipient: string): void;
  /** Whether a received copy of this sender's mail should teach the domain checks now (about daily). */
  wantsHeadersOf(m: MessageRow): boolean;
  onResync(folder: string, from: string, to: string): void;
}

export interface PollResult {
  folder: string;
  fetched: number;
  placed: number;
  /** Mail not sent by Kiln that may be about Kiln mail (bounces, complaints, auto-replies), by UID. */
  reports: { uid: number; headers: string }[];
  /** In the Sent folder: this mailbox's own copies of Kiln mail. */
  sentCopies: { uid: number; message: MessageRow }[];
  /** Placement-test mail seen for the first time: its source is read to check its authentication. */
  testCopies: { uid: number; message: MessageRow }[];
  /** Other Kiln mail whose received headers (DKIM selectors, sending IP) the domain checks want. */
  headerCopies: { uid: number; message: MessageRow }[];
}

// Headers fetched for every new message: cheap, and enough to recognise Kiln mail and to pick out
// the few other messages whose body is worth downloading (reports about Kiln mail).
const HEADERS = [REF_HEADER, 'content-type', 'from', 'subject', 'auto-submitted', 'x-autoreply', 'x-autorespond', 'precedence', 'x-failed-recipients', 'return-path'];

/** A delivery or feedback report, or an automatic reply: worth classifying in full. */
export function mayBeReport(headers: string): boolean {
  return (
    /^content-type:[^\r\n]*multipart\/report/im.test(headers) ||
    /^auto-submitted:[ \t]*auto-/im.test(headers) ||
    /^x-auto(reply|respond):/im.test(headers) ||
    /^precedence:[ \t]*auto_reply/im.test(headers) ||
    /^x-failed-recipients:/im.test(headers) ||
    /^from:[^\r\n]*(mailer-daemon|postmaster|mail delivery)/im.test(headers) ||
    /^return-path:[ \t]*<>/im.test(headers) ||
    /^subject:[^\r\n]*(undeliver|delivery status notification|returned mail|failure notice|out of office|automatic reply|autoreply)/im.test(headers)
  );
}

/**
 * Read what is new in one folder since the last poll: UIDVALIDITY + highest UID seen, so a poll
 * costs what arrived, not what is there. A changed UIDVALIDITY starts the folder over; placements
 * are keyed by (message, recipient), so a resync records nothing twice.
 */
export async function pollFolder(client: ImapFlow, ctx: PollContext, mailbox: MailboxRow, folder: WatchedFolder): Promise<PollResult> {
  const result: PollResult = { folder: folder.path, fetched: 0, placed: 0, reports: [], sentCopies: [], testCopies: [], headerCopies: [] };
  // A folder not selected now gets a SELECT with this lock, so its HIGHESTMODSEQ is fresh (INBOX
  // stays selected between rounds for IDLE, and imapflow does not refresh the value there).
  const freshSelect = client.mailbox === false || client.mailbox?.path !== folder.path;
  const lock = await client.getMailboxLock(folder.path, { readOnly: true });
  try {
    const box = client.mailbox;
    if (!box) return result;
    const uidvalidity = String(box.uidValidity);
    const state = ctx.store.state(mailbox.id, folder.path);
    let lastUid = state?.last_uid ?? 0;
    if (state && state.uidvalidity !== uidvalidity) {
      ctx.onResync(folder.path, state.uidvalidity, uidvalidity);
      lastUid = 0;
    }
    let highest = lastUid;
    // UIDNEXT would let us skip the FETCH, but imapflow keeps the value from SELECT while the folder
    // stays selected (EXISTS does not refresh it), so ask with one FETCH whenever there is mail.
    const modseq = box.highestModseq !== undefined ? String(box.highestModseq) : null;
    // CONDSTORE: every new message and every flag change raises HIGHESTMODSEQ, so an unchanged one
    // on a fresh SELECT means nothing arrived: no FETCH at all.
    const unchanged = freshSelect && state !== undefined && state.uidvalidity === uidvalidity && modseq !== null && state.highest_modseq === modseq;
    const tabbable: Array<{ uid: number; m: MessageRow }> = [];
    const place = (m: MessageRow, uid: number, placement: 'inbox' | 'spam' | 'other'): void => {
      const now = ctx.now();
      const rates = ctx.engagementFor(m, mailbox);
      // Not to be engaged with: the placement is recorded, the plan says "nothing", no step is due.
      const plan = JSON.stringify(rates ? drawPlan(rates, placement, m.kind) : noPlan);
      const engageAfter = rates ? now + dwell(ctx.engagement) : null;
      const sighting = { recipient: mailbox.email, mailbox: mailbox.id, placement, folder: folder.path, uidvalidity, uid, now, plan, engageAfter } as const;
      if (!ctx.store.place(m, sighting)) return;
      result.placed++;
      ctx.onPlacement(m, placement, mailbox.email);
      if (m.kind === 'placement') result.testCopies.push({ uid, message: m });
      else if (ctx.wantsHeadersOf(m)) result.headerCopies.push({ uid, message: m });
    };
    if (box.exists > 0 && !unchanged) {
      for await (const msg of client.fetch(`${lastUid + 1}:*`, { uid: true, headers: HEADERS }, { uid: true })) {
        // `N:*` always returns the last message, even when its UID is below N.
        if (msg.uid <= lastUid) continue;
        result.fetched++;
        highest = Math.max(highest, msg.uid);
        const ref = refFromHeaders(msg.headers);
        const m = ref ? ctx.messageByRef(ref) : undefined;
        if (!m) {
          const headers = msg.headers?.toString('latin1') ?? '';
          if (mayBeReport(headers)) result.reports.push({ uid: msg.uid, headers });
          continue;
        }
        if (folder.role === 'sent') {
          // The user's own mail stays in their Sent folder unless they allowed engagement with it.
          if (m.mailbox_id === mailbox.id && ctx.engagementFor(m, mailbox)) result.sentCopies.push({ uid: msg.uid, message: m });
          continue;
        }
        // Kiln mail sent to someone else (a forward, a list) is not this mailbox's to judge.
        if (!ctx.store.isRecipient(m.id, mailbox.email)) continue;
        if (folder.tabsQuery) tabbable.push({ uid: msg.uid, m });
        else place(m, msg.uid, folder.role === 'spam' ? 'spam' : folder.role === 'other' ? 'other' : 'inbox');
      }
      // Gmail: one search over the new Kiln UIDs tells the primary tab from the others.
      if (tabbable.length > 0) {
        let tabbed = new Set<number>();
        try {
          const found = await client.search({ uid: tabbable.map((t) => t.uid).join(','), gmraw: folder.tabsQuery }, { uid: true });
          tabbed = new Set(found || []);
        } catch {
          // Search refused: record INBOX rather than nothing; the placement is still true.
        }
        for (const t of tabbable) place(t.m, t.uid, tabbed.has(t.uid) ? 'other' : 'inbox');
      }
    }
    if (!state || state.uidvalidity !== uidvalidity || highest !== state.last_uid || modseq !== state.highest_modseq) {
      ctx.store.saveState({ mailbox: mailbox.id, folder: folder.path, role: folder.role, uidvalidity, lastUid: highest, modseq, now: ctx.now() });
    }
    return result;
  } finally {
    lock.release();
  }
}
