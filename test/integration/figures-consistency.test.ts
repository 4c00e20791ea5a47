// One scripted day through the real mail hub (Postfix → Dovecot/Sieve), on the simulated clock:
// warmup mail to an inbox and to a recipient whose own Sieve files everything into Junk, a hard
// bounce (Postfix's real DSN), a complaint (an ARF report), a placement test and an API send that
// lands in spam. Then every screen's figures are read through the API (fleet, its totals, daily
// stats, day plan, warmup state, health score, compliance) and must agree with each other and with
// the truth read straight off the recipients' IMAP folders. docs/FIGURES.md says what each counts.
import { ImapFlow } from 'imapflow';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { addMailHubUser, setUserSieve } from '../helpers/mailhub';
import { startTestCore, type TestCore } from '../helpers/core';
import { hubAccount, uniqueUser } from '../helpers/imap';
import { waitFor } from '../helpers/wait';

const hub = inject('mailhub');
const MIN = 60_000;
// Monday 2026-11-23, 07:30 UTC: before the 08:00–18:00 UTC window.
const START = Date.UTC(2026, 10, 23, 7, 30);
const DAY = '2026-11-23';
const QUIET = { replyPct: 0, openPct: 0, importantPct: 0, rescuePct: 0 };
const RAMP = { startVolume: 4, dailyIncrease: 1, dailyMax: 6, curve: { kind: 'linear' as const }, variancePct: 0, days: [1, 2, 3, 4, 5], window: { start: '08:00', end: '18:00' }, timeZone: 'UTC', ...QUIET };

const sender = uniqueUser('fig-sender');
const inboxBox = uniqueUser('fig-inbox');
const junkBox = uniqueUser('fig-junk');
const users = [sender, inboxBox, junkBox];
let k: TestCore;
const ids: Record<string, string> = {};

function q<T>(sql: string, ...args: unknown[]): T {
  return k.core.services.db.sqlite.prepare(sql).get(...args) as T;
}

async function imap<T>(u: { address: string; password: string }, fn: (c: ImapFlow) => Promise<T>): Promise<T> {
  const c = new ImapFlow({ host: '127.0.0.1', port: hub.ports.imap, secure: false, doSTARTTLS: true, tls: { ca: [hub.caCert] }, auth: { user: u.address, pass: u.password }, logger: false });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.logout();
  }
}

/** Release what is due, then wait until it is sent and every copy at a Kiln mailbox is seen. */
async function settle(): Promise<void> {
  await k.core.services.warmupEngine!.tick();
  k.core.services.dispatcher!.kick();
  const now = k.clock.now();
  await waitFor(
    () => {
      const due = q<{ n: number }>(`SELECT count(*) AS n FROM messages WHERE status IN ('queued', 'sending') AND next_attempt_at <= ?`, now).n;
      const unseen = q<{ n: number }>(
        `SELECT count(*) AS n FROM messages m JOIN message_recipients r ON r.message_id = m.id AND r.status = 'accepted'
           JOIN mailboxes b ON b.email = r.address
          WHERE m.status IN ('sent', 'complained') AND NOT EXISTS (SELECT 1 FROM message_placements p WHERE p.message_id = m.id AND p.recipient = r.address AND p.placement != 'missing')`,
      ).n;
      return due + unseen === 0;
    },
    { timeoutMs: 30_000, intervalMs: 25, what: 'sent mail to be sent and seen' },
  );
  await k.core.services.warmupEngine!.tick();
}

/** The truth, off the servers: per Kiln sender, its mail found in other mailboxes' INBOX and Junk. */
async function truth(): Promise<Map<string, { inbox: number; spam: number }>> {
  const out = new Map(users.map((u) => [u.address, { inbox: 0, spam: 0 }]));
  for (const u of users) {
    await imap(u, async (c) => {
      for (const [folder, key] of [['INBOX', 'inbox'], ['Junk', 'spam']] as const) {
        if (!(await c.list()).some((f) => f.path === folder)) continue;
        const lock = await c.getMailboxLock(folder, { readOnly: true });
        try {
          for await (const m of c.fetch('1:*', { envelope: true })) {
            const from = m.envelope?.from?.[0]?.address?.toLowerCase();
            const t = from && from !== u.address ? out.get(from) : undefined;
            if (t) t[key]++;
          }
        } catch (e) {
          if (!/Nothing to fetch|Invalid messageset/i.test((e as Error).message)) throw e;
        } finally {
          lock.release();
        }
      }
    });
  }
  return out;
}

beforeAll(async () => {
  for (const u of users) await addMailHubUser(hub, u.address, u.password);
  setUserSieve(hub, junkBox.address, 'require ["fileinto", "mailbox"];\nfileinto :create "Junk";\n');
  k = await startTestCore({ ca: [hub.caCert], feedbackPollMs: 250, now: START, engagement: { dwellMs: [60_000, 120_000], filing: { mode: 'none' }, open: 0, flag: 0, reply: 0, rescue: 0 } });
  await k.call('warmup.settings.update', { limits: { minGapMinutes: 0, mailboxPerMinute: 10, mailboxPerHour: 1000, domainPerMinute: 1000 } });
  for (const [name, u] of [['sender', sender], ['inbox', inboxBox], ['junk', junkBox]] as const) {
    ids[name] = (await k.call('mailboxes.create', { email: u.address, provider: 'custom', timeZone: 'UTC', ...hubAccount(hub, u) })).id;
    // The receivers are in the pool (they receive warmup mail) without warming themselves.
    await k.call('warmup.update', { id: ids[name]!, enabled: name === 'sender', pool: true, ramp: RAMP });
  }

  // The warmup day, in 30-minute steps through the window.
  for (let t = START; t <= START + 10 * 60 * MIN; t += 30 * MIN) {
    k.clock.set(t);
    await settle();
  }

  // 17:45: mail that is not warmup, from the same mailbox: a placement test and an API send to spam...
  k.clock.set(Date.UTC(2026, 10, 23, 17, 45));
  for (const u of [inboxBox, junkBox]) await k.call('recipients.add', { kind: 'seed', address: u.address });
  const test = await k.call('placementTests.create', { mailboxId: ids.sender!, seeds: [inboxBox.address, junkBox.address] });
  await k.call('messages.send', { mailboxId: ids.sender!, to: [junkBox.address], subject: 'Invoice attached', text: 'see attached' });
  await settle();
  await waitFor(async () => ((await k.call('placementTests.get', { id: test.id })).status === 'complete' ? true : undefined), { timeoutMs: 30_000, what: 'the placement test to complete' });
  // ...a hard bounce (Postfix's DSN for an unknown user) and a complaint (which suppresses its recipient: last).
  const bounce = await k.call('messages.send', { mailboxId: ids.sender!, to: [`nobody-${Date.now()}@warm.test`], subject: 'Are you there?', text: 'hello' });
  await k.waitStatus(bounce.id, ['bounced'], 30_000);
  const complained = await k.call('messages.send', { mailboxId: ids.sender!, to: [inboxBox.address], subject: 'Monthly notes', text: 'notes' });
  await k.waitStatus(complained.id, ['sent']);
  await settle();
  const ref = q<{ ref: string }>('SELECT ref FROM messages WHERE id = ?', complained.id).ref;
  const arf = [
    'From: feedback@isp.example', `To: ${sender.address}`, 'Subject: Abuse report', 'Message-ID: <arf-fig@isp.example>', 'MIME-Version: 1.0',
    'Content-Type: multipart/report; report-type=feedback-report; boundary="arf"', '',
    '--arf', 'Content-Type: text/plain', '', 'This is an email abuse report.', '',
    '--arf', 'Content-Type: message/feedback-report', '', 'Feedback-Type: abuse', 'User-Agent: isp/1.0', 'Version: 1', `Original-Rcpt-To: ${inboxBox.address}`, 'Source-IP: 127.0.0.1', '',
    '--arf', 'Content-Type: text/rfc822-headers', '', `From: ${sender.address}`, `To: ${inboxBox.address}`, 'Subject: Monthly notes', `Message-ID: ${complained.messageId}`, `X-Entity-Ref-ID: ${ref}`, '',
    '--arf--', '',
  ].join('\r\n');
  await imap(sender, (c) => c.append('INBOX', arf));
  await k.waitStatus(complained.id, ['complained'], 30_000);
  k.clock.set(Date.UTC(2026, 10, 23, 18, 30));
  await settle();
}, 300_000);

afterAll(async () => {
  await k?.core.close(5000);
});

describe('one scripted day: every screen shows the same figures, and they are true', () => {
  it('the day happened as scripted: warmup to inbox and spam, an API send and a test in spam, a bounce and a complaint', async () => {
    const kinds = k.core.services.db.sqlite
      .prepare(`SELECT kind, status, count(*) AS n FROM messages WHERE mailbox_id = ? AND sent_at IS NOT NULL GROUP BY kind, status ORDER BY kind, status`)
      .all(ids.sender) as { kind: string; status: string; n: number }[];
    expect(kinds.filter((r) => r.kind === 'warmup').reduce((n, r) => n + r.n, 0)).toBeGreaterThanOrEqual(3);
    expect(kinds.filter((r) => r.kind === 'api').map((r) => [r.status, r.n])).toEqual([['bounced', 1], ['complained', 1], ['sent', 1]]);
    expect(kinds.filter((r) => r.kind === 'placement').reduce((n, r) => n + r.n, 0)).toBe(2);
    const warmupTo = k.core.services.db.sqlite
      .prepare(`SELECT r.address, count(*) AS n FROM messages m JOIN message_recipients r ON r.message_id = m.id WHERE m.mailbox_id = ? AND m.kind = 'warmup' AND m.sent_at IS NOT NULL GROUP BY r.address`)
      .all(ids.sender) as { address: string; n: number }[];
    expect(warmupTo.map((r) => r.address).sort()).toEqual([inboxBox.address, junkBox.address].sort());
  });

  it('agree with each other and with the mail on the servers', async () => {
    const real = (await truth()).get(sender.address)!;
    expect(real.spam).toBeGreaterThanOrEqual(3);

    const fleet = await k.call('fleet.get', {});
    const row = fleet.mailboxes.find((m) => m.id === ids.sender)!;
    const [stats] = (await k.call('warmup.stats', { id: ids.sender!, days: 1 })).slice(-1);
    const plan = await k.call('warmup.plan', { id: ids.sender!, day: DAY });
    const warmup = await k.call('warmup.get', { id: ids.sender! });
    const health = await k.call('health.mailbox', { id: ids.sender! });
    const compliance = (await k.call('health.compliance', {})).find((c) => c.domain === 'warm.test')!;

    // Fleet row (Mailboxes table, Health tab cards) = the truth.
    expect(row.today).toMatchObject({ day: DAY, inbox: real.inbox, spam: real.spam, other: 0, bounced: 1, complained: 1 });
    expect(row.today.mailSent).toBe(real.inbox + real.spam + 1);
    expect(row.inboxRate7d).toBeCloseTo(real.inbox / (real.inbox + real.spam));
    // The closed loop throttled it for that spam, and says how much.
    expect(row.state).toBe('throttled');
    expect(warmup.state).toBe('throttled');
    expect(warmup.reason).toContain(`${real.spam} spam placements`);

    // Daily results chart (today's bar) = the fleet row.
    expect(stats).toMatchObject({ day: DAY, target: row.today.target, sent: row.today.sent, mailSent: row.today.mailSent, inbox: row.today.inbox, spam: row.today.spam, bounced: 1, complained: 1 });
    expect(stats!.inboxShare).toBeCloseTo(row.inboxRate7d!);
    // The ramp: warmup mail against the plan, the same on the day plan and the fleet row.
    expect([plan.sent, plan.target]).toEqual([row.today.sent, row.today.target]);
    expect(plan.sent).toBeGreaterThanOrEqual(3);

    // Overview totals = the rows summed = the truth over every sender.
    const all = [...(await truth()).values()].reduce((a, t) => ({ inbox: a.inbox + t.inbox, spam: a.spam + t.spam }), { inbox: 0, spam: 0 });
    expect(fleet.totals).toMatchObject({ inbox: all.inbox, spam: all.spam, bounced: 1, complained: 1 });
    for (const k2 of ['sent', 'mailSent', 'target', 'planned'] as const) expect(fleet.totals[k2]).toBe(fleet.mailboxes.reduce((n, m) => n + m.today[k2], 0));

    // Health score: the same placements and outcomes.
    const part = (p: string) => health.components.find((c) => c.part === p)!;
    expect(part('placement').detail).toMatch(new RegExp(`^${real.inbox} of ${real.inbox + real.spam} placements in the inbox`));
    expect(part('bounces').detail).toContain(`${row.today.mailSent} sent`);

    // Compliance: every mailbox of the domain, the same placements.
    const spamRate = compliance.items.find((i) => i.rule === 'spamRate')!;
    expect(spamRate.verdict.evidence[0]!.answered).toBe(`${all.inbox} inbox, ${all.spam} spam, 0 other of ${all.inbox + all.spam} read`);
    expect(spamRate.detail).toContain(`${all.inbox + all.spam} placements`);
  });
});
