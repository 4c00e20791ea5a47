// Health scores and the bulk-sender compliance panel on a real SQLite file, fed the way Kiln feeds
// them: placements and outcomes of sent warmup mail (rows as the dispatcher and the feedback loop
// write them), the domain's DNS check and a blocklist scan answered by the tests' DNS server.
import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codeOf, startTestCore, type TestCore } from '../helpers/core';
import { startDnsServer, type TestDnsServer } from '../helpers/dns-server';

const DAY = 86_400_000;
let k: TestCore;
let dns: TestDnsServer;
let mailboxId: string;
let n = 0;

/** A sent warmup message to `to` and where it landed, `daysAgo` days before now. */
function delivered(to: string, placement: 'inbox' | 'spam', daysAgo = 0, status = 'sent'): void {
  const db = k.core.services.db.sqlite;
  const at = k.clock.now() - daysAgo * DAY - 60_000;
  const id = `msg_health_${n++}`;
  db.prepare(
    `INSERT INTO messages (id, workspace_id, mailbox_id, kind, status, message_id, from_addr, subject, attempts, created_at, updated_at, sent_at)
     VALUES (?, ?, ?, 'warmup', ?, ?, 'box@warm.test', 'Hi', 1, ?, ?, ?)`,
  ).run(id, k.core.defaultWorkspaceId, mailboxId, status, `<${id}@warm.test>`, at, at, at);
  db.prepare(`INSERT INTO message_recipients (message_id, kind, address, status) VALUES (?, 'to', ?, ?)`).run(id, to, status === 'bounced' ? 'bounced' : 'sent');
  if (status === 'sent') {
    db.prepare(`INSERT INTO message_placements (message_id, recipient, workspace_id, mailbox_id, placement, seen_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)`).run(
      id, to, k.core.defaultWorkspaceId, mailboxId, placement, at, at,
    );
  }
}

beforeAll(async () => {
  const dkim = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
  dns = await startDnsServer({
    'warm.test': [{ type: 'TXT', value: 'v=spf1 ip4:192.0.2.10 -all' }, { type: 'MX', value: { exchange: 'mx.warm.test', priority: 10 } }],
    'mx.warm.test': [{ type: 'A', value: '192.0.2.25' }],
    'k1._domainkey.warm.test': [{ type: 'TXT', value: `v=DKIM1; k=rsa; p=${dkim}` }],
    '_dmarc.warm.test': [{ type: 'TXT', value: 'v=DMARC1; p=reject; rua=mailto:dmarc@warm.test' }],
    '10.2.0.192.in-addr.arpa': [{ type: 'PTR', value: 'out.warm.test' }],
    'out.warm.test': [{ type: 'A', value: '192.0.2.10' }],
    // Spamhaus DBL lists the domain; its test entry answers as documented.
    'warm.test.dbl.spamhaus.org': [{ type: 'A', value: '127.0.1.2' }],
    'dbltest.com.dbl.spamhaus.org': [{ type: 'A', value: '127.0.1.2' }],
  });
  k = await startTestCore({ warmup: false, dnsServers: [dns.server] });
  mailboxId = (await k.call('mailboxes.create', { email: 'box@warm.test', smtp: { host: '127.0.0.1', port: 9, security: 'none', password: 'x' } })).id;
});
afterAll(async () => {
  await k?.core.close();
  await dns?.close();
});

describe('health score', () => {
  it('says nothing before anything is measured, and 404s for an unknown mailbox', async () => {
    const h = await k.call('health.mailbox', { id: mailboxId });
    expect(h.score).toBeNull();
    expect(h.history).toEqual([{ day: h.day, score: null }]);
    expect(await codeOf(k.call('health.mailbox', { id: 'mbx_nope' }))).toBe('NOT_FOUND');
  });

  it('scores placement, authentication and blocklists from what Kiln measured, with the breakdown', async () => {
    for (let i = 0; i < 20; i++) delivered(`seed${i}@gmail.com`, 'inbox', i % 7);
    await k.call('checks.domain', { domain: 'warm.test', ip: '192.0.2.10', selectors: ['k1'] });
    await k.call('blocklists.scan', {});
    const h = await k.call('health.mailbox', { id: mailboxId });
    const part = (p: string) => h.components.find((c) => c.part === p)!;
    expect(part('placement')).toMatchObject({ score: 100, detail: expect.stringContaining('20 of 20 placements in the inbox') });
    expect(part('authentication')).toMatchObject({ score: 100, detail: 'SPF pass, DKIM pass, DMARC pass, PTR pass' });
    // The DBL lists the domain; SURBL and URIBL did not confirm their test entries (no verdict), which a listing does not need.
    expect(part('blocklists')).toMatchObject({ score: 50, detail: '1 listing; 2 of 3 queries got no answer (UNVERIFIED)', verdict: { state: 'bad' } });
    expect(part('bounces').score).toBe(100);
    expect(part('placementTest').score).toBeNull();
    expect(h.score).toBe(Math.round((100 * 45 + 100 * 20 + 50 * 15 + 100 * 10) / 90));
  });

  it('stores one score a day, and alerts once when it drops by 15 or more; not again while it stays down', async () => {
    k.advance(DAY);
    for (let i = 0; i < 30; i++) delivered(`seed${i}@gmail.com`, 'spam', 0);
    const before = (await k.call('alerts.list', {})).items.filter((a) => a.kind === 'score.dropped');
    expect(before).toEqual([]);
    const h = await k.call('health.mailbox', { id: mailboxId });
    expect(h.history).toHaveLength(2);
    expect(h.history[0]!.score! - h.score!).toBeGreaterThanOrEqual(15);
    const alerts = (await k.call('alerts.list', {})).items.filter((a) => a.kind === 'score.dropped');
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ mailboxId, severity: expect.any(String), title: `box@warm.test: health score ${h.history[0]!.score} → ${h.score}` });
    expect(alerts[0]!.detail).toContain('Inbox placement');
    await k.core.services.health.refreshAll();
    expect((await k.call('alerts.list', {})).items.filter((a) => a.kind === 'score.dropped')).toHaveLength(1);
  });
});

describe('bulk-sender compliance', () => {
  it("shows each rule for the mailbox's domain with what was measured", async () => {
    delivered('gone@gmail.com', 'inbox', 0, 'bounced');
    const [warm, ...rest] = await k.call('health.compliance', {});
    expect(rest).toEqual([]);
    const item = (rule: string) => warm!.items.find((i) => i.rule === rule)!;
    expect(warm).toMatchObject({ domain: 'warm.test', mailboxes: 1, status: 'fail', verdict: { state: 'bad' } });
    // Each item's status is its verdict's.
    for (const i of warm!.items) expect({ ok: 'good', warn: 'warning', fail: 'bad', unknown: 'unknown', 'n/a': 'na' }[i.status]).toBe(i.verdict.state);
    expect(item('spf').status).toBe('ok');
    expect(item('dkim').status).toBe('ok');
    expect(item('dmarc').status).toBe('ok');
    expect(item('ptr').status).toBe('ok');
    // The mailbox submits without TLS to its own server: that says nothing of server-to-server delivery.
    expect(item('tls')).toMatchObject({ status: 'unknown', verdict: { state: 'unknown', evidence: [] } });
    expect(item('oneClickUnsubscribe').status).toBe('n/a');
    // Of the last 7 days' 48 placements (2 of the first 20 are now 7 days old), 30 were spam.
    expect(item('spamRate')).toMatchObject({ status: 'fail', detail: expect.stringContaining('62.5 % of 48 placements') });
    expect(item('gmailVolume')).toMatchObject({ status: 'ok' });
  });

  it('judges TLS by how received copies entered the recipient\'s server, never by the submission, and leaves the domain uncoloured on unknown', async () => {
    const tls = async () => (await k.call('health.compliance', {}))[0]!.items.find((i) => i.rule === 'tls')!;
    const copy = (protocol: string) =>
      [
        'Received: from mx.example.net by mx.example.net with LMTP id abc; Mon, 23 Nov 2026 10:00:00 +0000',
        `Received: from out.warm.test (out.warm.test [192.0.2.10]) by mx.example.net with ${protocol} id 4Z1; Mon, 23 Nov 2026 10:00:00 +0000`,
        'From: box@warm.test',
        '',
      ].join('\r\n');
    // An authenticated submission (the sender's own server) is no evidence either way.
    await k.call('checks.learnHeaders', { headers: copy('ESMTPSA'), mailboxId });
    expect(await tls()).toMatchObject({ status: 'unknown' });
    k.advance(60_000);
    await k.call('checks.learnHeaders', { headers: copy('ESMTPS'), mailboxId });
    expect(await tls()).toMatchObject({
      status: 'ok',
      verdict: { state: 'good', evidence: [{ asked: "Received header of a copy of box@warm.test's mail at its recipient", answered: 'with ESMTPS' }] },
    });
    k.advance(60_000);
    await k.call('checks.learnHeaders', { headers: copy('ESMTP'), mailboxId });
    expect(await tls()).toMatchObject({ status: 'fail', verdict: { state: 'bad', evidence: [{ answered: 'with ESMTP' }] } });
  });
});

/** An RFC 7489 aggregate report for warm.test: `pass` messages aligned, `fail` not. */
function dmarcReport(id: string, pass: number, fail: number): string {
  const row = (ip: string, count: number, ok: boolean) => `
  <record>
    <row><source_ip>${ip}</source_ip><count>${count}</count>
      <policy_evaluated><disposition>none</disposition><dkim>${ok ? 'pass' : 'fail'}</dkim><spf>${ok ? 'pass' : 'fail'}</spf></policy_evaluated></row>
    <identifiers><header_from>warm.test</header_from></identifiers>
    <auth_results><dkim><domain>warm.test</domain><selector>k1</selector><result>${ok ? 'pass' : 'fail'}</result></dkim><spf><domain>warm.test</domain><result>${ok ? 'pass' : 'fail'}</result></spf></auth_results>
  </record>`;
  const end = Math.floor(k.clock.now() / 1000) - 3600;
  return `<?xml version="1.0"?>
<feedback>
  <report_metadata><org_name>Test</org_name><email>r@example.net</email><report_id>${id}</report_id><date_range><begin>${end - 86_400}</begin><end>${end}</end></date_range></report_metadata>
  <policy_published><domain>warm.test</domain><adkim>r</adkim><aspf>r</aspf><p>reject</p></policy_published>${row('192.0.2.10', pass, true)}${fail ? row('203.0.113.9', fail, false) : ''}
</feedback>`;
}

describe('alerts on outcomes', () => {
  it('raises a bounce spike once when 5 % or more of 24 hours of mail bounced, and resolves it after', async () => {
    const other = (await k.call('mailboxes.create', { email: 'spiky@warm.test', smtp: { host: '127.0.0.1', port: 9, security: 'none', password: 'x' } })).id;
    const saved = mailboxId;
    mailboxId = other;
    for (let i = 0; i < 19; i++) delivered(`ok${i}@example.org`, 'inbox');
    delivered('gone1@example.org', 'inbox', 0, 'bounced');
    delivered('gone2@example.org', 'inbox', 0, 'bounced');
    mailboxId = saved;
    const bounced = k.core.services.db.sqlite.prepare("SELECT id FROM messages WHERE mailbox_id = ? AND status = 'bounced'").pluck().all(other) as string[];
    for (const id of bounced) k.core.services.bus.emit(k.core.defaultWorkspaceId, 'message.updated', { id, mailboxId: other, status: 'bounced', event: 'bounced' });
    const spikes = () => k.call('alerts.list', { state: 'all' }).then((p) => p.items.filter((a) => a.kind === 'bounce.spike'));
    expect(await spikes()).toHaveLength(1);
    expect((await spikes())[0]).toMatchObject({ state: 'open', mailboxId: other, title: 'spiky@warm.test: 9.5 % of its mail bounced in 24 h' });
    // A day later the bounces are out of the window: the hourly scoring resolves it.
    k.advance(DAY + 60_000);
    mailboxId = other;
    for (let i = 0; i < 25; i++) delivered(`ok${i}@example.org`, 'inbox');
    mailboxId = saved;
    await k.core.services.health.refreshAll();
    expect((await spikes()).map((a) => a.state)).toEqual(['resolved']);
  });

  it('raises dmarc.failing when aggregate reports show under 90 % passing, and resolves it at 95 %', async () => {
    const failing = () => k.call('alerts.list', { state: 'all' }).then((p) => p.items.filter((a) => a.kind === 'dmarc.failing'));
    await k.call('dmarc.upload', { content: Buffer.from(dmarcReport('low-1', 5, 30)).toString('base64'), filename: 'low.xml' });
    await expect.poll(failing).toHaveLength(1);
    expect((await failing())[0]).toMatchObject({ state: 'open', domain: 'warm.test', title: 'warm.test: 14.3 % of mail passes DMARC (7 days of reports)' });
    await k.call('dmarc.upload', { content: Buffer.from(dmarcReport('high-1', 2000, 0)).toString('base64'), filename: 'high.xml' });
    await expect.poll(async () => (await failing()).map((a) => a.state)).toEqual(['resolved']);
  });
});
