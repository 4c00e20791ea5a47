// DKIM signing through the real hub: a key Kiln generated for warm.test signs mail sent through
// Postfix; the copy Dovecot stored verifies with mailauth against the TXT record Kiln said to
// publish (served by the tests' DNS server); a tampered copy fails; other domains are not signed;
// the private key is in the secret store only.
import fs from 'node:fs';
import path from 'node:path';
import { dkimVerify } from 'mailauth/lib/dkim/verify';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createResolver } from '../../electron/core/checks/resolver';
import { codeOf, startTestCore, type TestCore } from '../helpers/core';
import { startDnsServer, type TestDnsServer } from '../helpers/dns-server';
import { findByMessageId, hubAccount, uniqueUser } from '../helpers/imap';
import { addMailHubUser } from '../helpers/mailhub';

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
  k = await startTestCore({ ca: [hub.caCert], warmup: false });
  dns = await startDnsServer({});
  senderId = (await k.call('mailboxes.create', { email: sender.address, ...hubAccount(hub, sender) })).id;
  otherId = (await k.call('mailboxes.create', { email: other.address, ...hubAccount(hub, other) })).id;
}, 60_000);
afterAll(async () => {
  await k?.core.close();
  await dns?.close();
});

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
  it('generates an RSA-2048 key for a domain and says what to publish; the private half never leaves the secret store', async () => {
    const key = await k.call('dkim.create', { domain: 'Warm.Test.', selector: 'kiln2026' });
    expect(key).toMatchObject({ domain: 'warm.test', selector: 'kiln2026', bits: 2048, dnsName: 'kiln2026._domainkey.warm.test' });
    expect(key.dnsValue).toMatch(/^v=DKIM1; k=rsa; p=[A-Za-z0-9+/]+=*$/);
    dns.set(key.dnsName, [{ type: 'TXT', value: key.dnsValue }]);
    expect(await k.call('dkim.list', {})).toEqual([key]);
    expect(JSON.stringify(await k.call('dkim.list', {}))).not.toContain('PRIVATE KEY');
    const dbFile = fs.readFileSync(path.join(k.dataDir, 'kiln.db'));
    expect(dbFile.includes('PRIVATE KEY')).toBe(false);
    expect(await codeOf(k.call('dkim.create', { domain: 'warm.test' }))).toBe('CONFLICT');
  });

  it('signs mail from that domain: the copy in Dovecot verifies with mailauth', async () => {
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
