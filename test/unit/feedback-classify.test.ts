import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { classifyMessage, type Classification } from '../../electron/core/feedback/classify';
import { bounceType } from '../../electron/core/feedback/classify/status';

// The classifier the IMAP watcher and `kiln inspect` share, against real-shaped mail: RFC 3464 DSNs from several
// MTAs (postfix-dsn-5.1.1.eml is a real one captured from the test hub's Postfix), non-RFC bounces, ARF reports,
// RFC 3834 auto-replies, and mail that is none of those.

const dir = path.resolve(import.meta.dirname, '../fixtures/mail');
const fixture = (name: string): Buffer => fs.readFileSync(path.join(dir, name));

type Expected = Omit<Classification, 'bounce'> & { bounce?: Partial<NonNullable<Classification['bounce']>> };

const cases: Array<[file: string, expected: Expected]> = [
  // RFC 3464 DSNs, read from message/delivery-status
  ['postfix-dsn-5.1.1.eml', { kind: 'bounce', bounce: { type: 'hard', status: '5.1.1', recipient: 'nobody@warm.test', action: 'failed', remoteMta: '127.0.0.1', source: 'dsn' }, originalMessageId: '<a1f3c9e2-5b7d-4e8a-9c61-0d2e4f6a8b10@warm.test>', ref: '3f9a1c7e52b84d06a9e1f4c2b7d80e35' }],
  ['gmail-dsn-5.1.1.eml', { kind: 'bounce', bounce: { type: 'hard', status: '5.1.1', recipient: 'nobody@example.com', source: 'dsn' }, originalMessageId: '<5d0c7a1e-9b43-4f6e-8a21-3c9e7f1b2d44@warm.test>', ref: '06737f0e0ee417768e3acf1a2c8fd373' }],
  ['m365-dsn-5.1.10.eml', { kind: 'bounce', bounce: { type: 'hard', status: '5.1.10', recipient: 'nobody@example.com', diagnostic: '550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient nobody@example.com not found by SMTP address lookup', source: 'dsn' }, originalMessageId: '<b7e2d4f1-3a59-4c0e-9d86-1f7a2c5e8b93@warm.test>', ref: '615ae56955a32097866da9be61dea6e3' }],
  ['postfix-delayed-4.4.1.eml', { kind: 'bounce', bounce: { type: 'soft', status: '4.4.1', recipient: 'carol@example.net', action: 'delayed', source: 'dsn' }, originalMessageId: '<9e4b2c71-0d8f-4a35-b6e2-5f1c3a7d9e08@warm.test>', ref: '07d307b2b34daa268de74bda57d357e1' }],
  ['sendmail-dsn-5.2.2.eml', { kind: 'bounce', bounce: { type: 'soft', status: '5.2.2', recipient: 'dave@example.net', remoteMta: 'mailstore.example.net', source: 'dsn' }, originalMessageId: '<2c8f6a13-5e97-4b0d-a4c2-8d1e7f3b5a60@warm.test>', ref: '1fc3e324db2e618449323c10dfc473f6' }],
  ['gmail-5.7.26-unauthenticated.eml', { kind: 'bounce', bounce: { type: 'sender', status: '5.7.26', recipient: 'erin@example.com', source: 'dsn' }, originalMessageId: '<7a3e9d05-6c21-4f8b-9e40-b2d5c1a8f763@warm.test>', ref: 'ec93d12bbca527e94e113963f3af6855' }],
  // Exim reports "Status: 5.0.0"; the specific code is in Diagnostic-Code.
  ['exim-dsn-5.7.515.eml', { kind: 'bounce', bounce: { type: 'sender', status: '5.7.515', recipient: 'frank@example.com', source: 'dsn' }, originalMessageId: '<e5c1b8a2-4f63-4d97-8a0e-6b3f2d9c1e75@warm.test>', ref: 'd74aa33ea667316d52539b380cd470a8' }],
  ['postfix-dsn-relayed.eml', { kind: 'other', originalMessageId: '<5f2b8d1e-a3c6-4e97-b041-d8e6c2f9a713@warm.test>', ref: 'e82cd001f560409f393ae9d972350e6c' }],
  // Non-RFC bounces: the heuristic layer
  ['exim-text-5.1.1.eml', { kind: 'bounce', bounce: { type: 'hard', status: '5.1.1', recipient: 'grace@example.net', diagnostic: '550 5.1.1 <grace@example.net>: Recipient address rejected: User unknown in virtual mailbox table', source: 'heuristic' }, originalMessageId: '<0f7d3a9c-2b81-4e56-9c4d-a1e8b6f2d357@warm.test>', ref: '5a480eca27c508fd7d5e86cfddd10d41' }],
  ['qmail-5.1.1.eml', { kind: 'bounce', bounce: { type: 'hard', status: '5.1.1', recipient: 'henry@example.net', diagnostic: 'Sorry, no mailbox here by that name. (#5.1.1)', source: 'heuristic' }, originalMessageId: '<3b9f1e6d-8c24-4a70-b5d1-e7c2a4f8b019@warm.test>', ref: '41f31420d24800745727ec1b556ba08b' }],
  ['postfix-legacy-text-5.1.1.eml', { kind: 'bounce', bounce: { type: 'hard', status: '5.1.1', recipient: 'ivan@example.net', source: 'heuristic' }, originalMessageId: '<c4a27e90-1d5b-4f3c-8e69-0b7d2f5a1c48@warm.test>', ref: 'bd0764d1b1f47d0b619023628dd498ce' }],
  ['exchange-legacy-text-5.1.10.eml', { kind: 'bounce', bounce: { type: 'hard', status: '5.1.10', recipient: 'judy@corp.example.net', source: 'heuristic' }, originalMessageId: '<8d5a1f3e-7c29-4b60-9e14-c3f0a6d2b857@warm.test>', ref: '0e071fb90966cd131dfe83e5bdad5a9c' }],
  ['gmail-text-5.1.1.eml', { kind: 'bounce', bounce: { type: 'hard', status: '5.1.1', recipient: 'kate@example.net', source: 'heuristic' }, originalMessageId: '<61e0c9b4-3d27-4f85-a6b3-2c8e9d1f7a05@warm.test>' }],
  // Cut off inside the delivery-status part: the notice text still tells.
  ['truncated-dsn.eml', { kind: 'bounce', bounce: { type: 'hard', status: '5.1.1', recipient: 'paul@example.net', source: 'heuristic' } }],
  // ARF: the original in part 3; not-spam's headers hold a relay's Message-ID above the original's (the last wins).
  ['arf-abuse.eml', { kind: 'complaint', complaint: { feedbackType: 'abuse', recipient: 'liam@example.net', sourceIp: '203.0.113.9' }, originalMessageId: '<4e8c2a61-f3b7-4d09-9a25-71c6e0d8b3f4@warm.test>', ref: 'f6b7999e8ba93fbd36b2e6dd50032bc1' }],
  ['arf-not-spam.eml', { kind: 'complaint', complaint: { feedbackType: 'not-spam', recipient: 'mia@example.net', sourceIp: '203.0.113.9' }, originalMessageId: '<a7d3f1c8-2e94-4b65-8d0a-5c9b1e6f2a37@warm.test>', ref: 'f1b80c071cb1cce5f6376a25faf12dc5' }],
  // RFC 3834 and friends: never bounces
  ['ooo-auto-submitted.eml', { kind: 'auto-reply', originalMessageId: '<1c6e9b3f-48a2-4d7e-b0f5-93d2a8c4e161@warm.test>' }],
  ['exchange-automatic-reply.eml', { kind: 'auto-reply', originalMessageId: '<d9f4a2c6-1e83-4b57-9c0d-6a7e3b1f5d28@warm.test>' }],
  ['ooo-subject-only.eml', { kind: 'auto-reply' }],
  // A person writing "out of the office ... could not be answered" is still a person.
  ['human-reply.eml', { kind: 'other' }],
  ['warmup.eml', { kind: 'warmup', ref: 'a58dee1463552d83c9a463a104fa46c9' }],
];

describe('classifyMessage: fixtures', () => {
  it.each(cases)('%s', async (file, expected) => {
    const c = await classifyMessage(fixture(file));
    expect(c).toMatchObject(expected);
    // Exactly the kinds of detail the kind calls for, and no undefined-valued keys (the CLI prints this object).
    expect(c.bounce !== undefined).toBe(c.kind === 'bounce');
    expect(c.complaint !== undefined).toBe(c.kind === 'complaint');
    expect(Object.values(c).includes(undefined)).toBe(false);
    if (!('originalMessageId' in expected)) expect(c.originalMessageId).toBeUndefined();
  });

  it('every fixture is covered and has CRLF line endings, as real mail does', () => {
    const files = fs.readdirSync(dir).filter((f) => f.endsWith('.eml'));
    expect(files.sort()).toEqual(cases.map(([f]) => f).sort());
    for (const f of files) expect(fixture(f).toString('latin1'), f).not.toMatch(/[^\r]\n/);
  });

  it('takes a string as well as a Buffer', async () => {
    const file = 'gmail-5.7.26-unauthenticated.eml';
    expect(await classifyMessage(fixture(file).toString('utf8'))).toEqual(await classifyMessage(fixture(file)));
  });
});

describe('classifyMessage: status rules', () => {
  it.each([
    ['5.1.1', null, false, 'hard'],
    ['5.1.10', null, false, 'hard'],
    ['5.1.2', null, false, 'hard'],
    ['5.2.1', null, false, 'hard'],
    ['5.2.2', null, false, 'soft'],
    ['4.2.2', null, false, 'soft'],
    ['4.4.7', null, false, 'soft'],
    ['5.1.1', null, true, 'soft'], // Action: delayed is never more than soft
    ['5.7.26', 'user unknown', false, 'sender'], // the code wins over the text
    ['5.7.515', null, false, 'sender'],
    ['5.7.1', null, false, 'sender'],
    ['5.1.8', null, false, 'sender'], // bad sender's system address
    ['5.3.4', null, false, 'sender'], // message too big
    ['5.0.0', '550 Requested action not taken: user unknown', false, 'hard'],
    ['5.0.0', '552 Mailbox full', false, 'soft'],
    ['5.0.0', '554 rejected', false, 'soft'], // nothing telling: counted, not suppressed at once
    [undefined, null, false, 'soft'],
  ] as const)('%s %s delayed=%s -> %s', (status, text, delayed, type) => {
    expect(bounceType(status, text, delayed)).toBe(type);
  });
});

/** A minimal DSN around one delivery-status body. */
function dsn(status: string, reportType = 'delivery-status', statusType = 'message/delivery-status'): string {
  return [
    'From: Mail Delivery System <MAILER-DAEMON@mail.example.net>',
    'To: alice@warm.test',
    'Subject: Undelivered Mail Returned to Sender',
    'Auto-Submitted: auto-replied',
    `Content-Type: multipart/report; report-type=${reportType}; boundary="b"`,
    '',
    '--b',
    'Content-Type: text/plain',
    '',
    'Delivery report.',
    '--b',
    `Content-Type: ${statusType}`,
    '',
    status.replace(/\n/g, '\r\n'),
    '--b--',
    '',
  ].join('\r\n');
}

describe('classifyMessage: report details', () => {
  it('names the first failed recipient of a multi-recipient DSN, not the delivered one', async () => {
    const c = await classifyMessage(
      dsn('Reporting-MTA: dns; mail.example.net\n\nFinal-Recipient: rfc822; ok@example.net\nAction: delivered\nStatus: 2.0.0\n\nFinal-Recipient: rfc822; gone@example.net\nAction: failed\nStatus: 5.1.1\n'),
    );
    expect(c).toMatchObject({ kind: 'bounce', bounce: { type: 'hard', recipient: 'gone@example.net', status: '5.1.1' } });
  });

  it('reads RFC 6533 global DSNs, a missing Action from the status class, and xtext in Original-Recipient', async () => {
    const c = await classifyMessage(dsn('Reporting-MTA: dns; mail.example.net\n\nOriginal-Recipient: rfc822; a+2Bb@example.net\nStatus: 4.2.2\n', 'global-delivery-status', 'message/global-delivery-status'));
    expect(c).toMatchObject({ kind: 'bounce', bounce: { type: 'soft', recipient: 'a+b@example.net', status: '4.2.2', action: 'delayed' } });
  });

  it('a DSN it cannot read falls back to the heuristics, never to auto-reply (despite Auto-Submitted)', async () => {
    // From MAILER-DAEMON with a bounce subject: a bounce, but with nothing to go on it is only soft.
    expect(await classifyMessage(dsn('garbage without fields'))).toEqual({
      kind: 'bounce',
      bounce: { type: 'soft', status: null, recipient: null, diagnostic: null, source: 'heuristic' },
    });
    const fromPerson = dsn('garbage without fields').replace(/^From: .*$/m, 'From: bob@example.com').replace(/^Subject: .*$/m, 'Subject: hello');
    expect(await classifyMessage(fromPerson)).toEqual({ kind: 'other' });
  });

  it('reads the token from X-Entity-Ref-ID (32 hex digits, as Kiln sends it), else X-Kiln-Ref', async () => {
    const msg = (header: string) => `From: alice@warm.test\r\nTo: bob@warm.test\r\nSubject: hi\r\n${header}\r\n\r\nHello\r\n`;
    expect(await classifyMessage(msg('X-Entity-Ref-ID: 0123456789ABCDEF0123456789abcdef'))).toEqual({ kind: 'warmup', ref: '0123456789abcdef0123456789abcdef' });
    expect(await classifyMessage(msg('X-Kiln-Ref: kr_7Q2mXc9TfB4vLpN8'))).toEqual({ kind: 'warmup', ref: 'kr_7Q2mXc9TfB4vLpN8' });
    // Other senders use X-Entity-Ref-ID too (that is why Kiln does): their values are not Kiln tokens.
    expect(await classifyMessage(msg('X-Entity-Ref-ID: newsletter-2026-11-campaign-7'))).toEqual({ kind: 'other' });
  });

  it('de facto auto-reply headers count; Auto-Submitted: no does not', async () => {
    const msg = (header: string) => `From: bob@example.com\r\nTo: alice@warm.test\r\nSubject: Re: hello\r\n${header}\r\n\r\nThanks!\r\n`;
    for (const h of ['X-Autoreply: yes', 'X-Autorespond: on', 'Precedence: auto_reply', 'Auto-Submitted: auto-generated']) {
      expect((await classifyMessage(msg(h))).kind, h).toBe('auto-reply');
    }
    expect((await classifyMessage(msg('Auto-Submitted: no'))).kind).toBe('other');
  });
});

describe('classifyMessage: hostile and oversized input never throws', () => {
  const junk = (n: number, seed = 7): Buffer => {
    const b = Buffer.alloc(n);
    for (let i = 0, s = seed; i < n; i++) b[i] = (s = (s * 1103515245 + 12345) & 0x7fffffff) >> 16;
    return b;
  };

  it.each<[string, Buffer | string]>([
    ['empty string', ''],
    ['empty buffer', Buffer.alloc(0)],
    ['binary junk', junk(64 * 1024)],
    ['headers only, cut mid-header', 'From: Mail Delivery System <MAILER-DAEMON@x.example.net>\r\nSubject: Undeliv'],
    ['unterminated multipart', 'Content-Type: multipart/report; report-type=delivery-status; boundary="b"\r\n\r\n--b\r\nContent-Type: message/delivery-status\r\n\r\nFinal-Rec'],
    ['a 2 MB header (over mailparser limits)', `X-Big: ${'a'.repeat(2_000_000)}\r\n\r\nbody`],
    ['2000 MIME parts (over mailparser limits)', `Content-Type: multipart/mixed; boundary=b\r\n\r\n${'--b\r\nContent-Type: text/plain\r\n\r\nx\r\n'.repeat(2000)}--b--\r\n`],
    ['a 5 MB line of bounce-ish junk', `From: MAILER-DAEMON@x.example.net\r\nSubject: failure notice\r\n\r\nHi. This is the qmail-send program\r\n<${'a@'.repeat(2_500_000)}`],
  ])('%s', async (_name, input) => {
    await expect(classifyMessage(input)).resolves.toHaveProperty('kind');
  });

  it('is total for non-message values too', async () => {
    expect(await classifyMessage(null as unknown as string)).toEqual({ kind: 'other' });
  });

  it('refuses more than maxBytes without parsing it', async () => {
    const raw = fixture('postfix-dsn-5.1.1.eml');
    expect(await classifyMessage(raw, { maxBytes: raw.length - 1 })).toEqual({ kind: 'other' });
    expect((await classifyMessage(raw, { maxBytes: raw.length })).kind).toBe('bounce');
    expect(await classifyMessage(Buffer.alloc(25 * 1024 * 1024 + 1, 'a'))).toEqual({ kind: 'other' }); // default 25 MB
  });

  it('classifies a 20 MB bounce (the returned message carries a big attachment) in reasonable time', async () => {
    const real = fixture('postfix-dsn-5.1.1.eml').toString('latin1');
    const boundary = /boundary="([^"]+)"/.exec(real)?.[1] as string;
    const closing = real.lastIndexOf(`\r\n--${boundary}--`);
    const line = `${'QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWZnaGlqa2xtbm9wcXJzdHV2d3h5ejAxMjM0'}\r\n`;
    const padding = `\r\n(attachment follows)\r\n${line.repeat(Math.ceil((20 * 1024 * 1024) / line.length))}`;
    const raw = Buffer.from(real.slice(0, closing) + padding + real.slice(closing), 'latin1');
    expect(raw.length).toBeGreaterThan(20 * 1024 * 1024);
    const started = Date.now();
    const c = await classifyMessage(raw);
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(c).toMatchObject({ kind: 'bounce', bounce: { type: 'hard', recipient: 'nobody@warm.test' }, originalMessageId: '<a1f3c9e2-5b7d-4e8a-9c61-0d2e4f6a8b10@warm.test>' });
  });
});
