// Gmail's tabs through X-GM-RAW, over a stand-in IMAP client (no Gmail here): Kiln mail in INBOX
// that Gmail files under a non-primary tab is placed `other`, the rest `inbox`, with one search
// over the new UIDs; a refused search still records INBOX. Unit test only: not tried against Gmail.
import type { ImapFlow } from 'imapflow';
import { describe, expect, it } from 'vitest';
import { pollFolder, type PollContext } from '../../electron/core/feedback/poll';
import { defaultEngagement } from '../../electron/core/feedback/plan';
import { REF_HEADER } from '../../electron/core/mail/headers';
import type { MailboxRow, MessageRow } from '../../electron/core/db/schema';

const mailbox = { id: 'mbx_r', email: 'reader@gmail.com' } as MailboxRow;
const message = (id: string) => ({ id, kind: 'warmup', mailbox_id: 'mbx_s', workspace_id: 'ws' }) as MessageRow;
const query = 'category:promotions OR category:social OR category:updates OR category:forums';

function fakeClient(tabbed: number[] | Error) {
  const searches: unknown[] = [];
  const client = {
    mailbox: false,
    getMailboxLock: async () => {
      client.mailbox = { path: 'INBOX', uidValidity: 7n, exists: 3 } as never;
      return { release: () => undefined };
    },
    async *fetch() {
      for (const uid of [11, 12, 13]) yield { uid, headers: Buffer.from(`${REF_HEADER}: ${String(uid).padStart(32, 'a')}\r\n\r\n`) };
    },
    search: async (q: unknown) => {
      searches.push(q);
      if (tabbed instanceof Error) throw tabbed;
      return tabbed;
    },
  };
  return { client: client as unknown as ImapFlow, searches };
}

function context() {
  const placed: Array<[string, string]> = [];
  const ctx = {
    store: { state: () => undefined, isRecipient: () => true, place: (m: MessageRow, s: { placement: string }) => (placed.push([m.id, s.placement]), true), saveState: () => undefined },
    engagement: defaultEngagement,
    engagementFor: () => defaultEngagement,
    messageByRef: (ref: string) => message(`msg_${ref.slice(-2)}`),
    now: () => 0,
    onPlacement: () => undefined,
    onResync: () => undefined,
    wantsHeadersOf: () => false,
  } as unknown as PollContext;
  return { ctx, placed };
}

describe('Gmail tabs', () => {
  it('places Kiln mail in a non-primary tab as other, with one X-GM-RAW search over the new UIDs', async () => {
    const { client, searches } = fakeClient([12]);
    const { ctx, placed } = context();
    const r = await pollFolder(client, ctx, mailbox, { path: 'INBOX', role: 'inbox', tabsQuery: query });
    expect(placed).toEqual([
      ['msg_11', 'inbox'],
      ['msg_12', 'other'],
      ['msg_13', 'inbox'],
    ]);
    expect(searches).toEqual([{ uid: '11,12,13', gmraw: query }]);
    expect(r.placed).toBe(3);
  });

  it('records INBOX when the search is refused, and never searches where no query is set', async () => {
    const refused = fakeClient(new Error('NO [CANNOT]'));
    const a = context();
    await pollFolder(refused.client, a.ctx, mailbox, { path: 'INBOX', role: 'inbox', tabsQuery: query });
    expect(a.placed.map(([, p]) => p)).toEqual(['inbox', 'inbox', 'inbox']);
    const plain = fakeClient([12]);
    const b = context();
    await pollFolder(plain.client, b.ctx, mailbox, { path: 'INBOX', role: 'inbox' });
    expect(plain.searches).toEqual([]);
    expect(b.placed.map(([, p]) => p)).toEqual(['inbox', 'inbox', 'inbox']);
  });
});
