// Inbox placement tests against the real hub: one message from a Kiln mailbox to each seed; one
// seed's own Sieve script files everything into Junk, another's into Promotions, a third's discards
// it; another seed is an address Kiln cannot read. The report shows inbox, spam, other, missing
// (after the time limit) and unreadable, per provider, with how each received copy authenticates
// (SPF, DKIM, DMARC checked by mailauth through the tests' DNS server). Seeds do not engage.
import { parse } from 'csv-parse/sync';
import { ImapFlow } from 'imapflow';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { PlacementTest } from '../../shared/domain/placement-test';
import { addMailHubUser, setUserSieve } from '../helpers/mailhub';
import { codeOf, startTestCore, type TestCore } from '../helpers/core';
import { startDnsServer, type TestDnsServer } from '../helpers/dns-server';
import { hubAccount, uniqueUser } from '../helpers/imap';
import { waitFor } from '../helpers/wait';

const hub = inject('mailhub');
const sender = uniqueUser('pt-sender');
const inboxSeed = uniqueUser('pt-seed-inbox');
const junkSeed = uniqueUser('pt-seed-junk');
const lostSeed = uniqueUser('pt-seed-lost');
const promoSeed = uniqueUser('pt-seed-promo');
const foreignSeed = uniqueUser('pt-seed-foreign', 'other.test');
let k: TestCore;
let dns: TestDnsServer;
let senderId: string;

beforeAll(async () => {
  for (const u of [sender, inboxSeed, junkSeed, lostSeed, promoSeed, foreignSeed]) await addMailHubUser(hub, u.address, u.password);
  setUserSieve(hub, junkSeed.address, 'require ["fileinto", "mailbox"];\nfileinto :create "Junk";\n');
  setUserSieve(hub, lostSeed.address, 'discard;\n');
  // A server rule that files this seed's mail under Promotions (the folder exists, as a provider's would).
  setUserSieve(hub, promoSeed.address, 'require ["fileinto"];\nfileinto "Promotions";\n');
  const c = new ImapFlow({ host: '127.0.0.1', port: hub.ports.imap, secure: false, doSTARTTLS: true, tls: { ca: [hub.caCert] }, auth: { user: promoSeed.address, pass: promoSeed.password }, logger: false });
  await c.connect();
  await c.mailboxCreate('Promotions');
  await c.logout();
  dns = await startDnsServer({
    'warm.test': [{ type: 'TXT', value: 'v=spf1 ip4:127.0.0.1 -all' }],
    '_dmarc.warm.test': [{ type: 'TXT', value: 'v=DMARC1; p=none' }],
  });
  k = await startTestCore({ ca: [hub.caCert], feedbackPollMs: 300, warmup: false, dnsServers: [dns.server] });
  // The workspace's sending limits apply to test mail too: loosened so four seeds go out at once.
  await k.call('warmup.settings.update', { limits: { mailboxPerMinute: 60, mailboxPerHour: 1000, domainPerMinute: 1000, minGapMinutes: 0 } });
  senderId = (await k.call('mailboxes.create', { email: sender.address, ...hubAccount(hub, sender) })).id;
  for (const seed of [inboxSeed, junkSeed, lostSeed, promoSeed]) await k.call('mailboxes.create', { email: seed.address, ...hubAccount(hub, seed) });
  const key = await k.call('dkim.create', { domain: 'warm.test', selector: 'pt' });
  dns.set(key.dnsName, [{ type: 'TXT', value: key.dnsValue }]);
  // Kiln signs only once the record is seen.
  expect((await k.call('dkim.check', { id: key.id })).status).toBe('active');
  for (const seed of [inboxSeed, junkSeed, lostSeed, promoSeed, foreignSeed]) await k.call('recipients.add', { kind: 'seed', address: seed.address });
}, 90_000);
afterAll(async () => {
  await k?.core.close(5000);
  await dns?.close();
});

let test: PlacementTest;
const seed = (t: PlacementTest, address: string) => t.seeds.find((s) => s.address === address)!;

describe('inbox placement tests', () => {
  it('refuses a test with no seeds or from an unknown mailbox', async () => {
    expect(await codeOf(k.call('placementTests.create', { mailboxId: 'mbx_nope' }))).toBe('NOT_FOUND');
    expect(await codeOf(k.call('placementTests.create', { mailboxId: senderId, seeds: [] }))).toBe('VALIDATION_FAILED');
  });

  it('sends one message per seed (a warmup sample by default) and starts with each readable seed pending', async () => {
    test = await k.call('placementTests.create', { mailboxId: senderId, timeLimitMinutes: 10 });
    expect(test).toMatchObject({ status: 'running', trigger: 'manual', from: sender.address, completedAt: null });
    expect(test.subject.length).toBeGreaterThan(0);
    expect(test.seeds.map((s) => [s.address, s.placement])).toEqual(
      [
        [foreignSeed.address, 'unreadable'],
        [inboxSeed.address, 'pending'],
        [junkSeed.address, 'pending'],
        [lostSeed.address, 'pending'],
        [promoSeed.address, 'pending'],
      ].sort(([a], [b]) => a!.localeCompare(b!)),
    );
    // One message each, kind placement, to that seed alone.
    const ids = new Set(test.seeds.map((s) => s.messageId));
    expect(ids.size).toBe(5);
    const m = await k.call('messages.get', { id: seed(test, inboxSeed.address).messageId! });
    expect(m).toMatchObject({ kind: 'placement', subject: test.subject });
    expect(m.recipients.map((r) => r.address)).toEqual([inboxSeed.address]);
  });

  it('reports inbox and spam where each seed filed it, with the received copy authenticated', async () => {
    const t = await waitFor(
      async () => {
        const r = await k.call('placementTests.get', { id: test.id });
        const done = [inboxSeed, junkSeed, promoSeed].every((u) => seed(r, u.address).auth !== null);
        return done ? r : undefined;
      },
      { timeoutMs: 20_000, what: 'both readable seeds seen and authenticated' },
    );
    expect(seed(t, inboxSeed.address)).toMatchObject({ placement: 'inbox', folder: 'INBOX', provider: 'custom' });
    expect(seed(t, junkSeed.address)).toMatchObject({ placement: 'spam', folder: 'Junk' });
    expect(seed(t, promoSeed.address)).toMatchObject({ placement: 'other', folder: 'Promotions' });
    for (const u of [inboxSeed, junkSeed]) {
      expect(seed(t, u.address).auth).toMatchObject({ ip: '127.0.0.1', spf: { result: 'pass' }, dkim: { result: 'pass' }, dmarc: { result: 'pass' } });
    }
    expect(seed(t, lostSeed.address).placement).toBe('pending');
    expect(t.status).toBe('running');
    expect(dns.queries).toContain('pt._domainkey.warm.test TXT');
    // Seeds only look: nothing rescued, opened, flagged or replied to.
    const placements = (await k.call('messages.get', { id: seed(t, junkSeed.address).messageId! })).placements;
    expect(placements[0]).toMatchObject({ placement: 'spam', rescuedAt: null, openedAt: null, flaggedAt: null, repliedAt: null });
  });

  it('after the time limit an unseen seed is missing and the test is complete, with totals per provider', async () => {
    k.advance(11 * 60_000);
    const t = await k.call('placementTests.get', { id: test.id });
    expect(t.status).toBe('complete');
    expect(seed(t, lostSeed.address).placement).toBe('missing');
    expect(t.totals).toEqual({ total: 4, inbox: 1, spam: 1, other: 1, missing: 1, pending: 0 });
    expect(t.byProvider).toEqual([{ provider: 'custom', total: 4, inbox: 1, spam: 1, other: 1, missing: 1, pending: 0 }]);
    expect(t.inboxRate).toBeCloseTo(1 / 4);
    expect(t.completedAt).toBe(t.deadlineAt);
    expect((await k.call('placementTests.list', {})).items.map((x) => x.id)).toEqual([test.id]);
  });

  it('exports the report as CSV', async () => {
    const out = await k.call('placementTests.export', { id: test.id });
    const rows = parse(out.csv, { columns: true }) as Array<Record<string, string>>;
    expect(out.count).toBe(5);
    expect(rows.find((r) => r.seed === junkSeed.address)).toMatchObject({ provider: 'custom', placement: 'spam', folder: 'Junk', spf: 'pass', dkim: 'pass', dmarc: 'pass', sending_ip: '127.0.0.1' });
    expect(rows.find((r) => r.seed === foreignSeed.address)).toMatchObject({ placement: 'unreadable' });
    expect(out.filename).toMatch(/^placement-test-\d{4}-\d{2}-\d{2}-plt_/);
  });

  it('runs weekly: once when the day and hour come, not again the same week', async () => {
    const now = new Date(k.clock.now());
    expect(await codeOf(k.call('placementTests.schedule.update', { enabled: true }))).toBe('VALIDATION_FAILED');
    const schedule = await k.call('placementTests.schedule.update', { enabled: true, mailboxId: senderId, weekday: now.getUTCDay(), hour: now.getUTCHours(), timeZone: 'UTC' });
    expect(schedule).toMatchObject({ enabled: true, lastRunAt: null });
    const started = await k.core.services.placementTests.tick();
    expect(started).toHaveLength(1);
    expect((await k.call('placementTests.get', { id: started[0]! })).trigger).toBe('schedule');
    k.advance(3_600_000);
    expect(await k.core.services.placementTests.tick()).toEqual([]);
    expect((await k.call('placementTests.schedule.get', {})).lastRunAt).not.toBeNull();
  });
});
