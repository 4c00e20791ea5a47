import { afterEach, describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import { startFaultServer, type FaultServer } from '../helpers/fault-smtp';
import { startTestCore, type TestCore } from '../helpers/core';

// The message list's server-side filters, the content view, bulk retry and CSV export, against
// the real send path of an in-process core and a scripted SMTP server on 127.0.0.1.

let server: FaultServer | null = null;
let kiln: TestCore | null = null;

afterEach(async () => {
  await kiln?.core.close(5000);
  await server?.close();
  kiln = null;
  server = null;
});

/** 550 for gone@…, 451 at DATA while `broken.on`; no retry backoff, so a 451 fails at once. */
async function setup() {
  const broken = { on: true };
  server = await startFaultServer({
    script: {
      rcptTo: (a) => (a.startsWith('gone@') ? { reply: 550, message: '5.1.1 No such user here' } : undefined),
      data: (raw) => (broken.on && raw.includes('Subject: Greylisted') ? { reply: 451, message: '4.7.1 Greylisted, come back later' } : undefined),
    },
  });
  kiln = await startTestCore({ backoff: [] });
  const smtp = { host: '127.0.0.1', port: server.port, security: 'none' as const, user: 'x', password: 'pw' };
  const a = await kiln.call('mailboxes.create', { email: 'alpha@faults.test', provider: 'custom', smtp });
  const b = await kiln.call('mailboxes.create', { email: 'beta@faults.test', provider: 'custom', smtp });
  return { k: kiln, a: a.id, b: b.id, broken, server };
}

async function send(k: TestCore, mailboxId: string, to: string, subject: string, extra: Record<string, unknown> = {}) {
  const { id } = await k.call('messages.send', { mailboxId, to: [to], subject, text: `text of ${subject}`, ...extra });
  k.advance(60_000); // distinct created_at per message
  return id;
}

const ids = (page: { items: { id: string }[] }) => page.items.map((m) => m.id);

describe('messages API: filters, content, bulk retry, export', () => {
  it('filters by mailbox, status, kind, placement, date range and search, with keyset paging', async () => {
    const { k, a, b } = await setup();
    const t0 = new Date(k.clock.now()).toISOString();
    const invoice = await send(k, a, 'ok1@dest.test', 'Invoice March');
    const gone = await send(k, a, 'gone@dest.test', 'Hello there');
    const t2 = new Date(k.clock.now() - 1).toISOString(); // just before the next message
    const weekly = await send(k, b, 'ok2@dest.test', 'Weekly news');
    const warm = await k.core.services.messages.enqueue(k.ctx.workspaceId, { mailboxId: b, to: ['warm@dest.test'], subject: 'Warm hello', text: 'hi' }, 'warmup');
    await k.waitStatus(invoice, ['sent']);
    await k.waitStatus(gone, ['failed']);
    await k.waitStatus(weekly, ['sent']);
    await k.waitStatus(warm.id, ['sent']);
    k.core.services.db.sqlite
      .prepare(`INSERT INTO message_placements (message_id, recipient, workspace_id, mailbox_id, placement, folder, updated_at) VALUES (?, 'ok1@dest.test', ?, ?, 'spam', 'Junk', 0)`)
      .run(invoice, k.ctx.workspaceId, a);

    expect(ids(await k.call('messages.list', { status: 'failed' }))).toEqual([gone]);
    expect(ids(await k.call('messages.list', { mailboxId: b }))).toEqual([warm.id, weekly]);
    expect(ids(await k.call('messages.list', { kind: 'warmup' }))).toEqual([warm.id]);
    expect(ids(await k.call('messages.list', { placement: 'spam' }))).toEqual([invoice]);
    expect(ids(await k.call('messages.list', { placement: 'inbox' }))).toEqual([]);
    expect(ids(await k.call('messages.list', { from: t0, to: t2 }))).toEqual([gone, invoice]);
    expect(ids(await k.call('messages.list', { q: 'gone@dest.test' }))).toEqual([gone]);
    expect(ids(await k.call('messages.list', { q: 'GONE@' }))).toEqual([gone]);
    expect(ids(await k.call('messages.list', { q: 'invoice' }))).toEqual([invoice]);
    expect(ids(await k.call('messages.list', { q: 'hello', mailboxId: a }))).toEqual([gone]);
    // A LIKE wildcard in the search is a literal character.
    expect(ids(await k.call('messages.list', { q: '%' }))).toEqual([]);

    const first = await k.call('messages.list', { mailboxId: a, limit: 1 });
    expect(ids(first)).toEqual([gone]);
    const second = await k.call('messages.list', { mailboxId: a, limit: 1, cursor: first.nextCursor! });
    expect(ids(second)).toEqual([invoice]);
    expect(second.nextCursor).toBeNull();
  });

  it('content: the headers the sender builds and both bodies', async () => {
    const { k, a, server } = await setup();
    const id = await send(k, a, 'ok1@dest.test', 'Both bodies', { html: '<p>Hi <b>there</b></p>', cc: ['copy@dest.test'], bcc: ['hidden@dest.test'] });
    const sent = await k.waitStatus(id, ['sent']);
    const c = await k.call('messages.content', { id });
    const h = (name: string) => c.headers.find((x) => x.name.toLowerCase() === name.toLowerCase())?.value;
    expect(h('Message-ID')).toBe(sent.messageId);
    expect(h('Subject')).toBe('Both bodies');
    expect(h('From')).toBe('alpha@faults.test');
    expect(h('To')).toBe('ok1@dest.test');
    expect(h('Cc')).toBe('copy@dest.test');
    expect(h('Bcc')).toBeUndefined();
    const delivered = server.delivered.find((d) => d.messageId === sent.messageId)!;
    // The same ref token the recipient's copy carried (how placement recognises it).
    expect(delivered.raw).toContain(`X-Entity-Ref-ID: ${h('X-Entity-Ref-ID')}`);
    expect(c.text).toBe('text of Both bodies');
    expect(c.html).toBe('<p>Hi <b>there</b></p>');
    await expect(k.call('messages.content', { id: 'msg_nope' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('retryMany: ids go through the single retry rule; a filter retries every failed match', async () => {
    const { k, a, b, broken, server } = await setup();
    const grey1 = await send(k, a, 'ok1@dest.test', 'Greylisted one');
    const grey2 = await send(k, a, 'ok2@dest.test', 'Greylisted two');
    const greyB = await send(k, b, 'ok3@dest.test', 'Greylisted three');
    const fine = await send(k, a, 'ok4@dest.test', 'Fine');
    for (const id of [grey1, grey2, greyB]) expect((await k.waitStatus(id, ['failed'])).lastError).toMatchObject({ responseCode: 451 });
    await k.waitStatus(fine, ['sent']);
    broken.on = false;

    const byIds = await k.call('messages.retryMany', { ids: [grey1, fine, 'msg_nope'] });
    expect(byIds).toMatchObject({ retried: 1, skipped: 2, retriedIds: [grey1] });
    expect(byIds.reasons.map((r) => [r.id, r.code])).toEqual([
      [fine, 'CONFLICT'],
      ['msg_nope', 'NOT_FOUND'],
    ]);
    await k.waitStatus(grey1, ['sent']);

    const byFilter = await k.call('messages.retryMany', { filter: { mailboxId: a } });
    expect(byFilter).toMatchObject({ retried: 1, skipped: 0, retriedIds: [grey2] });
    await k.waitStatus(grey2, ['sent']);
    expect((await k.call('messages.get', { id: greyB })).status).toBe('failed');
    expect(server.delivered.filter((d) => d.raw.includes('Subject: Greylisted'))).toHaveLength(2);
    await expect(k.call('messages.retryMany', { ids: [grey1], filter: {} } as never)).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
  });

  it('export: the filtered list as CSV, formula cells neutralised', async () => {
    const { k, a } = await setup();
    const evil = await send(k, a, 'ok1@dest.test', '=HYPERLINK("http://x","y")');
    const gone = await send(k, a, 'gone@dest.test', '@SUM(1)');
    await k.waitStatus(evil, ['sent']);
    await k.waitStatus(gone, ['failed']);

    const all = await k.call('messages.export', {});
    expect(all).toMatchObject({ count: 2, truncated: false });
    expect(all.filename).toMatch(/^kiln-messages-\d{4}-\d{2}-\d{2}\.csv$/);
    const rows = parse(all.csv) as string[][];
    expect(rows[0]).toEqual(['id', 'created', 'mailbox', 'kind', 'status', 'from', 'to', 'subject', 'sent', 'last error']);
    expect(rows[1]!.slice(0, 9)).toEqual([gone, expect.any(String), 'alpha@faults.test', 'api', 'failed', 'alpha@faults.test', 'gone@dest.test', "'@SUM(1)", '']);
    expect(rows[1]![9]).toContain('No such user');
    expect(rows[2]![7]).toBe(`'=HYPERLINK("http://x","y")`);

    const failed = await k.call('messages.export', { status: 'failed' });
    expect(failed.count).toBe(1);
    expect((parse(failed.csv) as string[][]).slice(1).map((r) => r[0])).toEqual([gone]);
  });
});
