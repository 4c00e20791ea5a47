// messages.send beyond the bodies, through the real hub (Postfix submission, Dovecot): Reply-To
// and an allowed custom header in the stored copy, refused headers as a coded 400, tags stored,
// returned and filtered, a scheduled send held until its time on the injected clock, suppressed
// recipients skipped on request. Dead letters come from a scripted SMTP server on 127.0.0.1.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { errorStatus, type ErrorCode, KilnError } from '../../shared/errors';
import { startTestCore, type TestCore } from '../helpers/core';
import { startFaultServer, type FaultServer } from '../helpers/fault-smtp';
import { findByMessageId, hubAccount, uniqueUser } from '../helpers/imap';
import { addMailHubUser } from '../helpers/mailhub';
import { waitFor } from '../helpers/wait';

const hub = inject('mailhub');
const sender = uniqueUser('opts-sender');
const rcpt = uniqueUser('opts-rcpt');
const other = uniqueUser('opts-other');
let k: TestCore;
let faults: FaultServer;
let mailboxId: string;
let faultBox: string;

beforeAll(async () => {
  for (const u of [sender, rcpt, other]) await addMailHubUser(hub, u.address, u.password);
  // 550 for gone@…, 451 at DATA for a "Greylisted" subject; no retry backoff: a 451 fails at once.
  faults = await startFaultServer({
    script: {
      rcptTo: (a) => (a.startsWith('gone@') ? { reply: 550, message: '5.1.1 No such user here' } : undefined),
      data: (raw) => (raw.includes('Subject: Greylisted') ? { reply: 451, message: '4.7.1 Greylisted, come back later' } : undefined),
    },
  });
  k = await startTestCore({ ca: [hub.caCert], warmup: false, backoff: [] });
  mailboxId = (await k.call('mailboxes.create', { email: sender.address, ...hubAccount(hub, sender) })).id;
  const smtp = { host: '127.0.0.1', port: faults.port, security: 'none' as const, user: 'x', password: 'pw' };
  faultBox = (await k.call('mailboxes.create', { email: 'dead@faults.test', provider: 'custom', smtp })).id;
}, 60_000);
afterAll(async () => {
  await k?.core.close(5000);
  await faults?.close();
});

/** The stored copy in a hub user's INBOX, waited for (delivery through Postfix is asynchronous). */
async function stored(user: { address: string; password: string }, messageId: string): Promise<string> {
  const raws = await waitFor(async () => {
    const r = await findByMessageId(hub, user.address, user.password, messageId);
    return r.length > 0 ? r : undefined;
  }, { timeoutMs: 15_000, what: `${messageId} in ${user.address}'s INBOX` });
  expect(raws).toHaveLength(1);
  return raws[0]!;
}

/** The code a call is refused with, and its details. */
async function refusal(p: Promise<unknown>): Promise<{ code: ErrorCode; details: unknown }> {
  try {
    await p;
  } catch (e) {
    if (e instanceof KilnError) return { code: e.code, details: e.details };
    throw e;
  }
  throw new Error('expected the call to be refused');
}

const base = () => ({ mailboxId, to: [rcpt.address], text: 'Hello.' });

describe('messages.send options', () => {
  it('Reply-To and an allowed custom header arrive in the stored copy, Kiln\'s ref token intact', async () => {
    const sent = await k.call('messages.send', { ...base(), subject: 'With reply-to', replyTo: 'Answers@Warm.Test', headers: { 'X-Campaign-Id': 'spring-42', Keywords: 'kiln, test' } });
    await k.waitStatus(sent.id, ['sent']);
    const raw = await stored(rcpt, sent.messageId);
    expect(raw).toMatch(/^Reply-To: answers@warm\.test\r?$/m);
    // Header names are case-insensitive; nodemailer writes this one X-Campaign-ID.
    expect(raw).toMatch(/^X-Campaign-Id: spring-42\r?$/im);
    expect(raw).toMatch(/^Keywords: kiln, test\r?$/m);
    expect(raw).toMatch(/^X-Entity-Ref-ID: \S+/m);
    expect((await k.call('messages.get', { id: sent.id })).replyTo).toBe('answers@warm.test');
    const content = await k.call('messages.content', { id: sent.id });
    expect(content.headers.find((h) => h.name.toLowerCase() === 'x-campaign-id')?.value).toBe('spring-42');
  });

  it('a header that could spoof routing, authentication or Kiln\'s own is a coded 400 naming it; nothing is queued', async () => {
    const refused = ['From', 'Sender', 'Bcc', 'Date', 'Message-ID', 'DKIM-Signature', 'Received', 'Return-Path', 'List-Unsubscribe', 'Content-Type', 'X-Entity-Ref-ID', 'X-Spam-Status', 'X-MS-Exchange-Organization-SCL', 'Bad Name'];
    const before = (await k.call('messages.list', {})).items.length;
    for (const name of refused) {
      const r = await refusal(k.call('messages.send', { ...base(), subject: 'spoof', headers: { 'X-Fine': 'ok', [name]: 'evil' } }));
      expect(r, name).toMatchObject({ code: 'HEADER_NOT_ALLOWED', details: { header: name } });
    }
    expect(errorStatus.HEADER_NOT_ALLOWED).toBe(400);
    // A line break in a value would start a header of the caller's choosing.
    const crlf = await refusal(k.call('messages.send', { ...base(), subject: 'inject', headers: { 'X-Note': 'a\r\nBcc: victim@warm.test' } }));
    expect(crlf).toMatchObject({ code: 'HEADER_NOT_ALLOWED', details: { header: 'X-Note' } });
    const tooMany = Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`X-H${i}`, 'v']));
    expect((await refusal(k.call('messages.send', { ...base(), subject: 'many', headers: tooMany }))).code).toBe('VALIDATION_FAILED');
    expect((await k.call('messages.list', {})).items.length).toBe(before);
  });

  it('tags are stored, returned by get and list, and filter the list', async () => {
    const a = await k.call('messages.send', { ...base(), subject: 'Tagged a', tags: ['invoice', 'march', 'invoice'] });
    k.advance(1_000);
    const b = await k.call('messages.send', { ...base(), subject: 'Tagged b', tags: ['invoice'] });
    k.advance(1_000);
    await k.call('messages.send', { ...base(), subject: 'Untagged' });
    expect((await k.call('messages.get', { id: a.id })).tags).toEqual(['invoice', 'march']);
    const invoices = await k.call('messages.list', { tag: 'invoice' });
    expect(invoices.items.map((m) => [m.id, m.tags])).toEqual([
      [b.id, ['invoice']],
      [a.id, ['invoice', 'march']],
    ]);
    expect((await k.call('messages.list', { tag: 'march' })).items.map((m) => m.id)).toEqual([a.id]);
    expect((await k.call('messages.list', { tag: 'nope' })).items).toEqual([]);
    for (const m of [a, b]) await k.waitStatus(m.id, ['sent']);
  });

  it('a scheduled send waits for its time on the injected clock, then arrives; a past time sends now; 31 days ahead is refused', async () => {
    const at = new Date(k.clock.now() + 3_600_000).toISOString();
    const later = await k.call('messages.send', { ...base(), subject: 'Scheduled', sendAt: at });
    expect((await k.call('messages.get', { id: later.id })).nextAttemptAt).toBe(at);
    // A message sent after it through the same mailbox goes out: the dispatcher has looked at the
    // mailbox's queue since, and left the scheduled one waiting.
    const now = await k.call('messages.send', { ...base(), subject: 'Not scheduled', sendAt: new Date(k.clock.now() - 60_000).toISOString() });
    await k.waitStatus(now.id, ['sent']);
    await stored(rcpt, now.messageId);
    const waiting = await k.call('messages.get', { id: later.id });
    expect(waiting).toMatchObject({ status: 'queued', attempts: 0, sentAt: null });
    expect(waiting.events.find((e) => e.type === 'queued')?.data).toMatchObject({ sendAt: at });
    expect(await findByMessageId(hub, rcpt.address, rcpt.password, later.messageId)).toEqual([]);

    k.advance(3_600_000);
    const sent = await k.waitStatus(later.id, ['sent']);
    expect(Date.parse(sent.sentAt!)).toBeGreaterThanOrEqual(Date.parse(at));
    await stored(rcpt, later.messageId);

    const far = await refusal(k.call('messages.send', { ...base(), subject: 'Too far', sendAt: new Date(k.clock.now() + 31 * 86_400_000).toISOString() }));
    expect(far.code).toBe('VALIDATION_FAILED');
  });

  it("suppressed: 'skip' sends to the others and returns the skipped list; 'reject' (the default) refuses; all suppressed is refused", async () => {
    const blocked = uniqueUser('opts-blocked').address;
    await k.call('suppressions.add', { address: blocked });
    const rejected = await refusal(k.call('messages.send', { ...base(), to: [rcpt.address, blocked], subject: 'Reject' }));
    expect(rejected).toMatchObject({ code: 'RECIPIENT_SUPPRESSED', details: { addresses: [blocked] } });

    const req = { ...base(), to: [rcpt.address, blocked], cc: [other.address], subject: 'Skip', suppressed: 'skip' as const, idempotencyKey: 'opts-skip' };
    const r = await k.call('messages.send', req);
    expect(r.skipped).toEqual([blocked]);
    // A repeat with the same key answers as the first call did.
    expect(await k.call('messages.send', req)).toMatchObject({ id: r.id, messageId: r.messageId, skipped: [blocked] });
    const sent = await k.waitStatus(r.id, ['sent']);
    expect(sent.recipients.map((x) => x.address).sort()).toEqual([other.address, rcpt.address].sort());
    expect(sent.events.find((e) => e.type === 'queued')?.data).toMatchObject({ skipped: [blocked] });
    const raw = await stored(rcpt, r.messageId);
    expect(raw).not.toContain(blocked);
    await stored(other, r.messageId);

    const all = await refusal(k.call('messages.send', { ...base(), to: [blocked], subject: 'All skipped', suppressed: 'skip' }));
    expect(all).toMatchObject({ code: 'RECIPIENT_SUPPRESSED', details: { addresses: [blocked] } });
  });

  it('the idempotency key covers the new fields: the same request replays, another replyTo, tag or sendAt conflicts', async () => {
    const req = { ...base(), subject: 'Once', replyTo: 'a@warm.test', tags: ['x'], headers: { 'X-A': '1' }, idempotencyKey: 'opts-once' };
    const first = await k.call('messages.send', req);
    expect((await k.call('messages.send', req)).id).toBe(first.id);
    expect((await k.call('messages.send', { ...req, suppressed: 'reject' })).id).toBe(first.id);
    for (const change of [{ replyTo: 'b@warm.test' }, { tags: ['y'] }, { headers: { 'X-A': '2' } }, { sendAt: new Date(k.clock.now() + 60_000).toISOString() }, { suppressed: 'skip' as const }]) {
      expect((await refusal(k.call('messages.send', { ...req, ...change }))).code).toBe('IDEMPOTENCY_CONFLICT');
    }
    await k.waitStatus(first.id, ['sent']);
  });
});

describe('dead letters', () => {
  it('a scripted 550 and an exhausted 451 are listed with the reason, discarded for the record, and then refuse a retry', async () => {
    const gone = await k.call('messages.send', { mailboxId: faultBox, to: ['gone@dest.test'], subject: 'Hello gone', text: 'x' });
    k.advance(1_000);
    const grey = await k.call('messages.send', { mailboxId: faultBox, to: ['ok@dest.test'], subject: 'Greylisted', text: 'x' });
    k.advance(1_000);
    const fine = await k.call('messages.send', { mailboxId: faultBox, to: ['ok@dest.test'], subject: 'Fine', text: 'x' });
    await k.waitStatus(gone.id, ['failed']);
    await k.waitStatus(grey.id, ['failed']);
    await k.waitStatus(fine.id, ['sent']);

    const dead = await k.call('messages.deadLetters', { mailboxId: faultBox });
    expect(dead.items.map((m) => [m.id, m.status])).toEqual([
      [grey.id, 'failed'],
      [gone.id, 'failed'],
    ]);
    expect(dead.items[0]!.reason).toMatch(/^Retries exhausted after 1 attempt: .*451 4\.7\.1 Greylisted, come back later$/);
    expect(dead.items[1]!.reason).toMatch(/^Permanent failure: .*550 5\.1\.1 No such user here$/);

    const r = await k.call('messages.discard', { ids: [gone.id, fine.id, 'msg_nope'] });
    expect(r).toMatchObject({ discarded: 1, skipped: 2, discardedIds: [gone.id] });
    expect(r.reasons.map((x) => [x.id, x.code])).toEqual([
      [fine.id, 'CONFLICT'],
      ['msg_nope', 'NOT_FOUND'],
    ]);
    const kept = await k.call('messages.get', { id: gone.id });
    expect(kept).toMatchObject({ status: 'discarded', lastError: { responseCode: 550 } });
    expect(kept.events.at(-1)?.type).toBe('discarded');
    expect((await k.call('messages.deadLetters', { mailboxId: faultBox })).items.map((m) => m.id)).toEqual([grey.id]);
    expect((await refusal(k.call('messages.retry', { id: gone.id }))).code).toBe('CONFLICT');
    expect((await k.call('messages.retryMany', { ids: [gone.id] })).reasons.map((x) => x.code)).toEqual(['CONFLICT']);
    expect((await k.call('messages.retryMany', { filter: { mailboxId: faultBox } })).retriedIds).toEqual([grey.id]);
    await k.waitStatus(grey.id, ['failed']);

    // By filter: every dead letter of the mailbox; a second discard finds none.
    expect(await k.call('messages.discard', { filter: { mailboxId: faultBox } })).toMatchObject({ discarded: 1, discardedIds: [grey.id] });
    expect(await k.call('messages.discard', { filter: { mailboxId: faultBox } })).toMatchObject({ discarded: 0, skipped: 0 });
    expect((await k.call('messages.deadLetters', {})).items).toEqual([]);
    expect((await k.call('messages.get', { id: gone.id })).status).toBe('discarded');
  });
});
