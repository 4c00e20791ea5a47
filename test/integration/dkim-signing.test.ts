// DKIM signing through the real hub: a key Kiln generated for warm.test is pending, and signs
// nothing, until its TXT record is seen in the tests' DNS server (Check DNS, or the re-check of
// pending keys on the injected clock); then it signs mail sent through Postfix and the copy Dovecot
// stored verifies with mailauth against that record; a tampered copy fails; other domains are not
// signed; the private key is in the secret store only.
import { createPrivateKey } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { dkimVerify } from 'mailauth/lib/dkim/verify';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createResolver } from '../../electron/core/checks/resolver';
import { codeOf, startTestCore, type TestCore } from '../helpers/core';
import { startDnsServer, type TestDnsServer } from '../helpers/dns-server';
import { findByMessageId, hubAccount, uniqueUser } from '../helpers/imap';
import { addMailHubUser } from '../helpers/mailhub';
import { requireSecret } from '../../electron/core/secrets/secret-store';

const hub = inject('mailhub');
const sender = uniqueUser('dkim-sender');
const rcpt = uniqueUser('dkim-rcpt');
const other = uniqueUser('dkim-other', 'other.test');
let k: TestCore;
let dns: TestDnsServer;
let senderId: string;
let otherId: string;

beforeAll(async () => {
  for (const u of [sender, rcpt, other]) await addMailHubUser(hub, u.address, u.password);
  dns = await startDnsServer({});
  k = await startTestCore({ ca: [hub.caCert], warmup: false, dnsServers: [dns.server] });
  senderId = (await k.call('mailboxes.create', { email: sender.address, ...hubAccount(hub, sender) })).id;
  otherId = (await k.call('mailboxes.create', { email: other.address, ...hubAccount(hub, other) })).id;
}, 60_000);
afterAll(async () => {
  await k?.core.close();
  await dns?.close();
});

/** Every file below a folder, hidden ones included. */
function filesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}

/** Send through Kiln and read the stored copy back from the recipient's Dovecot INBOX. */
async function sendAndFetch(mailboxId: string, subject: string): Promise<string> {
  const sent = await k.call('messages.send', { mailboxId, to: [rcpt.address], subject, text: `Hello from ${subject}.\nSecond line.` });
  await k.waitStatus(sent.id, ['sent']);
  let raw: string[] = [];
  for (let i = 0; i < 100 && raw.length === 0; i++) {
    raw = await findByMessageId(hub, rcpt.address, rcpt.password, sent.messageId);
    if (raw.length === 0) await new Promise((r) => setTimeout(r, 100));
  }
  expect(raw).toHaveLength(1);
  return raw[0]!;
}

const verify = async (raw: string) => {
  const resolver = createResolver({ servers: [dns.server], timeoutMs: 1_000, tries: 1 });
  return (await dkimVerify(Buffer.from(raw), { resolver: resolver.resolve as never })).results;
};

describe('DKIM signing', () => {
  let keyId: string;
  it('generates an RSA-2048 key for a domain and says what to publish; the private half never leaves the secret store', async () => {
    const key = await k.call('dkim.create', { domain: 'Warm.Test.', selector: 'kiln2026' });
    keyId = key.id;
    expect(key).toMatchObject({ domain: 'warm.test', selector: 'kiln2026', bits: 2048, dnsName: 'kiln2026._domainkey.warm.test', status: 'pending', activatedAt: null, checkedAt: null });
    expect(key.verdict).toMatchObject({ state: 'unknown', label: 'Not checked' });
    expect(key.dnsValue).toMatch(/^v=DKIM1; k=rsa; p=[A-Za-z0-9+/]+=*$/);
    expect(await k.call('dkim.list', {})).toEqual([key]);
    expect(JSON.stringify(await k.call('dkim.list', {}))).not.toContain('PRIVATE KEY');
    const { secret_ref: ref } = k.core.services.db.sqlite.prepare('SELECT secret_ref FROM dkim_keys WHERE id = ?').get(key.id) as { secret_ref: string };
    const pem = await requireSecret(k.core.services.secrets, ref);
    const der = createPrivateKey(pem).export({ type: 'pkcs8', format: 'der' });
    // The PEM armour, a line of its base64 and a stretch of the raw DER, in every file of the data
    // folder: the database, its write-ahead log (recent writes live there until a checkpoint), the
    // shared-memory index and the secrets file.
    const needles = [Buffer.from('PRIVATE KEY'), Buffer.from(pem.split('\n')[5]!), der.subarray(100, 140)];
    const files = filesUnder(k.dataDir);
    expect(files.map((f) => path.basename(f))).toEqual(expect.arrayContaining(['kiln.db', 'kiln.db-wal', 'kiln.db-shm']));
    for (const file of files) {
      const bytes = fs.readFileSync(file);
      for (const needle of needles) expect(bytes.includes(needle), `${path.basename(file)} holds the private key`).toBe(false);
    }
    expect(await codeOf(k.call('dkim.create', { domain: 'warm.test' }))).toBe('CONFLICT');
  });

  it('a pending key does not sign: its record is not in DNS, and Check DNS says so', async () => {
    const checked = await k.call('dkim.check', { id: keyId });
    expect(checked).toMatchObject({ status: 'pending', checkedAt: new Date(k.clock.now()).toISOString() });
    expect(checked.verdict).toMatchObject({
      state: 'warning',
      label: 'Not published',
      evidence: [{ asked: 'TXT kiln2026._domainkey.warm.test', answered: 'no such name (NXDOMAIN)', at: checked.checkedAt }],
    });
    const raw = await sendAndFetch(senderId, 'Before publishing');
    expect(raw).not.toMatch(/^DKIM-Signature:/im);
    // Another key at the name is no publication of Kiln's.
    const foreign = (await import('node:crypto')).generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
    dns.set('kiln2026._domainkey.warm.test', [{ type: 'TXT', value: `v=DKIM1; k=rsa; p=${foreign}` }]);
    expect(await k.call('dkim.check', { id: keyId })).toMatchObject({ status: 'pending', verdict: { state: 'bad', label: 'Another key' } });
  });

  it('the re-check of pending keys activates the key once its record is published; then mail is signed and verifies with mailauth', async () => {
    const [key] = await k.call('dkim.list', {});
    dns.set(key!.dnsName, [{ type: 'TXT', value: key!.dnsValue }]);
    // Not due yet on the injected clock: the last check was just now.
    expect(await k.core.services.dkim.checkDue()).toBe(0);
    k.clock.advance(10 * 60_000);
    expect(await k.core.services.dkim.checkDue()).toBe(1);
    const [active] = await k.call('dkim.list', {});
    expect(active).toMatchObject({ status: 'active', activatedAt: new Date(k.clock.now()).toISOString(), verdict: { state: 'good', label: 'Published' } });

    const raw = await sendAndFetch(senderId, 'Signed');
    expect(raw).toMatch(/^DKIM-Signature: .*d=warm\.test/im);
    const [result] = await verify(raw);
    expect(result?.status).toMatchObject({ result: 'pass' });
    expect(result?.signingDomain).toBe('warm.test');
    expect(result?.selector).toBe('kiln2026');
    expect(dns.queries).toContain('kiln2026._domainkey.warm.test TXT');
  });

  it('a tampered copy does not verify: an edited body breaks the body hash, an edited subject the signature', async () => {
    const raw = await sendAndFetch(senderId, 'Tampered');
    expect((await verify(raw))[0]?.status.result).toBe('pass');
    const [body] = await verify(raw.replace('Second line.', 'Second line, edited.'));
    expect(body?.status).toMatchObject({ result: 'neutral', comment: 'body hash did not verify' });
    const [header] = await verify(raw.replace(/^Subject: Tampered/m, 'Subject: Tampered with'));
    expect(header?.status).toMatchObject({ result: 'fail', comment: 'bad signature' });
  });

  it('leaves mail from a domain without a key unsigned', async () => {
    const raw = await sendAndFetch(otherId, 'Unsigned');
    expect(raw).not.toMatch(/^DKIM-Signature:/im);
  });

  it('imports a PEM key, refuses weak or unreadable ones without echoing them, and deletes', async () => {
    const { generateKeyPairSync } = await import('node:crypto');
    const weak = generateKeyPairSync('rsa', { modulusLength: 512 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const weakErr = await k.call('dkim.create', { domain: 'other.test', privateKey: weak }).catch((e: Error) => e);
    expect(weakErr).toMatchObject({ code: 'VALIDATION_FAILED' });
    expect(JSON.stringify(weakErr)).not.toContain('PRIVATE KEY');
    expect(await codeOf(k.call('dkim.create', { domain: 'other.test', privateKey: 'not a key' }))).toBe('VALIDATION_FAILED');
    expect(await codeOf(k.call('dkim.create', { domain: 'not a domain' }))).toBe('VALIDATION_FAILED');
    const pem = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const imported = await k.call('dkim.create', { domain: 'other.test', privateKey: pem });
    expect(imported).toMatchObject({ domain: 'other.test', selector: 'kiln', bits: 2048 });
    expect(await k.call('dkim.delete', { id: imported.id })).toEqual({ id: imported.id, deleted: true });
    expect((await k.call('dkim.list', {})).map((x) => x.domain)).toEqual(['warm.test']);
    expect(await codeOf(k.call('dkim.delete', { id: imported.id }))).toBe('NOT_FOUND');
  });
});
