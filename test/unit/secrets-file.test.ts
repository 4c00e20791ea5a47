import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { KilnError } from '../../shared/errors';
import { openFileSecretStore, SECRETS_FILE } from '../../electron/core/secrets/file-store';
import { KEY_FILE, SALT_FILE } from '../../electron/core/secrets/master-key';
import { openSecretStore } from '../../electron/core/secrets';

const SECRET = 'hunter2-Plaintext-Canary-9f1c';
const HEX_KEY = 'a'.repeat(64);
const OTHER_HEX_KEY = 'b'.repeat(64);

let dataDir: string;
beforeEach(async () => {
  dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'kiln-secrets-'));
});
afterEach(async () => {
  await fs.rm(dataDir, { recursive: true, force: true });
});

const noEnv = {} as NodeJS.ProcessEnv;
const secretsPath = () => path.join(dataDir, SECRETS_FILE);
const mode = async (file: string) => (await fs.stat(file)).mode & 0o777;

async function expectKilnError(p: Promise<unknown>, code: string): Promise<KilnError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(KilnError);
  expect((err as KilnError).code).toBe(code);
  return err as KilnError;
}

describe('file secret store', () => {
  it('round-trips, overwrites and deletes', async () => {
    const store = await openFileSecretStore({ dataDir, env: noEnv });
    expect(store.backend).toBe('file');
    expect(await store.get('mailbox/1/smtp')).toBeNull();
    await store.set('mailbox/1/smtp', SECRET);
    expect(await store.get('mailbox/1/smtp')).toBe(SECRET);
    await store.set('mailbox/1/smtp', 'second');
    expect(await store.get('mailbox/1/smtp')).toBe('second');
    await store.delete('mailbox/1/smtp');
    expect(await store.get('mailbox/1/smtp')).toBeNull();

    // survives a reopen with the same key file
    await store.set('mailbox/2/imap', SECRET);
    const again = await openFileSecretStore({ dataDir, env: noEnv });
    expect(await again.get('mailbox/2/imap')).toBe(SECRET);
    expect(await again.get('constructor')).toBeNull(); // no prototype lookups
  });

  it('writes no plaintext and keeps files 0600', async () => {
    const store = await openFileSecretStore({ dataDir, env: noEnv });
    await store.set('mailbox/1/smtp', SECRET);
    const raw = await fs.readFile(secretsPath());
    expect(raw.includes(Buffer.from(SECRET))).toBe(false);
    expect(raw.includes(Buffer.from(SECRET, 'utf16le'))).toBe(false);
    expect(raw.toString()).toContain('mailbox/1/smtp'); // the ref is not secret
    expect(await mode(secretsPath())).toBe(0o600);
    expect(await mode(path.join(dataDir, KEY_FILE))).toBe(0o600);
    const leftovers = (await fs.readdir(dataDir)).filter((f) => f.endsWith('.tmp'));
    expect(leftovers).toEqual([]);
    expect(JSON.stringify(store.describe())).not.toContain(SECRET);
  });

  it('refuses a wrong KILN_MASTER_KEY with MASTER_KEY_INVALID naming the file', async () => {
    const store = await openFileSecretStore({ dataDir, env: { KILN_MASTER_KEY: HEX_KEY } });
    await store.set('mailbox/1/smtp', SECRET);
    const err = await expectKilnError(openFileSecretStore({ dataDir, env: { KILN_MASTER_KEY: OTHER_HEX_KEY } }), 'MASTER_KEY_INVALID');
    expect(err.message).toContain(secretsPath());
    expect(err.message).not.toContain(SECRET);
    expect(err.message).not.toContain(OTHER_HEX_KEY);
    // the right key still works, and no key file was created while env keys were used
    const ok = await openFileSecretStore({ dataDir, env: { KILN_MASTER_KEY: HEX_KEY } });
    expect(await ok.get('mailbox/1/smtp')).toBe(SECRET);
    await expect(fs.stat(path.join(dataDir, KEY_FILE))).rejects.toThrow();
  });

  it('accepts a base64 key equal to the same hex key', async () => {
    const b64 = Buffer.from(HEX_KEY, 'hex').toString('base64');
    expect(b64).toHaveLength(44);
    await (await openFileSecretStore({ dataDir, env: { KILN_MASTER_KEY: HEX_KEY } })).set('a/b', SECRET);
    const store = await openFileSecretStore({ dataDir, env: { KILN_MASTER_KEY: b64 } });
    expect(await store.get('a/b')).toBe(SECRET);
  });

  it('detects a tampered ciphertext and an entry moved to another ref', async () => {
    const store = await openFileSecretStore({ dataDir, env: noEnv });
    await store.set('mailbox/1/smtp', SECRET);
    await store.set('mailbox/2/smtp', 'other');
    const doc = JSON.parse(await fs.readFile(secretsPath(), 'utf8'));
    const ct = Buffer.from(doc.entries['mailbox/1/smtp'].ct, 'base64');
    ct[0] = (ct[0] ?? 0) ^ 0x01;
    doc.entries['mailbox/1/smtp'].ct = ct.toString('base64');
    doc.entries['mailbox/9/smtp'] = { ...doc.entries['mailbox/2/smtp'] };
    await fs.writeFile(secretsPath(), JSON.stringify(doc));

    const err = await expectKilnError(store.get('mailbox/1/smtp'), 'MASTER_KEY_INVALID');
    expect(err.message).toContain(secretsPath());
    expect(err.message).not.toContain(SECRET);
    expect(await store.get('mailbox/2/smtp')).toBe('other');
    await expectKilnError(store.get('mailbox/9/smtp'), 'MASTER_KEY_INVALID'); // ref is bound as AAD
  });

  it('derives a key from a passphrase with a salt stored next to the file', async () => {
    const env = { KILN_MASTER_KEY: 'correct horse battery staple' };
    const store = await openFileSecretStore({ dataDir, env });
    await store.set('mailbox/1/smtp', SECRET);
    expect(store.describe().detail).toContain('passphrase');
    expect(await mode(path.join(dataDir, SALT_FILE))).toBe(0o600);
    const again = await openFileSecretStore({ dataDir, env });
    expect(await again.get('mailbox/1/smtp')).toBe(SECRET);
    await expectKilnError(openFileSecretStore({ dataDir, env: { KILN_MASTER_KEY: 'wrong horse' } }), 'MASTER_KEY_INVALID');
    // losing the salt is reported as such rather than as a silently new key
    await fs.rm(path.join(dataDir, SALT_FILE));
    const err = await expectKilnError(openFileSecretStore({ dataDir, env }), 'MASTER_KEY_INVALID');
    expect(err.message).toContain(SALT_FILE);
  });

  it('keeps all of 50 concurrent set() calls', async () => {
    const store = await openFileSecretStore({ dataDir, env: noEnv });
    await Promise.all(Array.from({ length: 50 }, (_, i) => store.set(`mailbox/${i}/smtp`, `pw-${i}`)));
    const reopened = await openFileSecretStore({ dataDir, env: noEnv });
    const values = await Promise.all(Array.from({ length: 50 }, (_, i) => reopened.get(`mailbox/${i}/smtp`)));
    expect(values).toEqual(Array.from({ length: 50 }, (_, i) => `pw-${i}`));
  });

  it('refuses a key file readable by group or others, telling the user to chmod 600', async () => {
    await openFileSecretStore({ dataDir, env: noEnv }); // creates master.key
    const keyFile = path.join(dataDir, KEY_FILE);
    await fs.chmod(keyFile, 0o640);
    const err = await expectKilnError(openFileSecretStore({ dataDir, env: noEnv }), 'MASTER_KEY_INVALID');
    expect(err.message).toContain('chmod 600');
    expect(err.message).toContain(keyFile);
    await fs.chmod(keyFile, 0o600);
    await openFileSecretStore({ dataDir, env: noEnv });
  });

  it('refuses to invent a new key when secrets exist but master.key is gone', async () => {
    await (await openFileSecretStore({ dataDir, env: noEnv })).set('a/b', SECRET);
    await fs.rm(path.join(dataDir, KEY_FILE));
    const err = await expectKilnError(openFileSecretStore({ dataDir, env: noEnv }), 'MASTER_KEY_INVALID');
    expect(err.message).toContain(KEY_FILE);
  });

  it("rejects bad refs and empty values; 'auto' opens the file store", async () => {
    const store = await openSecretStore({ dataDir, backend: 'auto', env: noEnv });
    expect(store.backend).toBe('file');
    await expectKilnError(store.set('../etc', SECRET), 'VALIDATION_FAILED');
    await expectKilnError(store.set('a/b', ''), 'VALIDATION_FAILED');
  });
});
