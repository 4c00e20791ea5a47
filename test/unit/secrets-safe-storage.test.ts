import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { KilnError } from '../../shared/errors';
import {
  SAFE_STORAGE_FILE,
  SafeStorageSecretStore,
  type SafeStorageLike,
} from '../../electron/main/secrets/safe-storage-store';

const SECRET = 'desktop-Plaintext-Canary-77ab';

// Stands in for Electron's safeStorage: real encryption under a per-"machine" key, and
// decryptString throws on foreign data just as Electron does.
function fakeSafeStorage(opts: { available?: boolean; backend?: string } = {}): SafeStorageLike {
  const key = randomBytes(32);
  return {
    isEncryptionAvailable: () => opts.available ?? true,
    getSelectedStorageBackend: () => opts.backend ?? 'gnome_libsecret',
    encryptString(s) {
      const iv = randomBytes(12);
      const c = createCipheriv('aes-256-gcm', key, iv);
      const ct = Buffer.concat([c.update(s, 'utf8'), c.final()]);
      return Buffer.concat([iv, c.getAuthTag(), ct]);
    },
    decryptString(b) {
      const d = createDecipheriv('aes-256-gcm', key, b.subarray(0, 12));
      d.setAuthTag(b.subarray(12, 28));
      return Buffer.concat([d.update(b.subarray(28)), d.final()]).toString('utf8');
    },
  };
}

let dataDir: string;
beforeEach(async () => {
  dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'kiln-safe-'));
});
afterEach(async () => {
  await fs.rm(dataDir, { recursive: true, force: true });
});

async function codeOf(p: Promise<unknown>): Promise<string | undefined> {
  return p.then(
    () => undefined,
    (e: unknown) => (e instanceof KilnError ? e.code : `not a KilnError: ${String(e)}`),
  );
}

describe('safe-storage secret store', () => {
  it('round-trips through a fresh instance and stores no plaintext', async () => {
    const safeStorage = fakeSafeStorage();
    const store = new SafeStorageSecretStore({ dataDir, safeStorage });
    expect(store.backend).toBe('safe-storage');
    expect(await store.get('mailbox/1/smtp')).toBeNull();
    await store.set('mailbox/1/smtp', SECRET);
    await store.set('mailbox/2/imap', 'second');
    expect(await store.get('mailbox/1/smtp')).toBe(SECRET);

    const again = new SafeStorageSecretStore({ dataDir, safeStorage });
    expect(await again.get('mailbox/1/smtp')).toBe(SECRET);
    await again.delete('mailbox/1/smtp');
    expect(await again.get('mailbox/1/smtp')).toBeNull();
    expect(await again.get('mailbox/2/imap')).toBe('second');

    await store.set('mailbox/1/smtp', SECRET);
    const file = path.join(dataDir, SAFE_STORAGE_FILE);
    const raw = await fs.readFile(file);
    expect(raw.includes(Buffer.from(SECRET))).toBe(false);
    expect((await fs.stat(file)).mode & 0o777).toBe(0o600);
    expect(store.describe()).toMatchObject({ backend: 'safe-storage', location: file, ok: true });
  });

  it('keeps all of 20 concurrent set() calls', async () => {
    const store = new SafeStorageSecretStore({ dataDir, safeStorage: fakeSafeStorage() });
    await Promise.all(Array.from({ length: 20 }, (_, i) => store.set(`k/${i}`, `v${i}`)));
    const got = await Promise.all(Array.from({ length: 20 }, (_, i) => store.get(`k/${i}`)));
    expect(got).toEqual(Array.from({ length: 20 }, (_, i) => `v${i}`));
  });

  it('reports foreign or moved ciphertexts as MASTER_KEY_INVALID', async () => {
    await new SafeStorageSecretStore({ dataDir, safeStorage: fakeSafeStorage() }).set('a/1', SECRET);
    const otherMachine = new SafeStorageSecretStore({ dataDir, safeStorage: fakeSafeStorage() });
    expect(await codeOf(otherMachine.get('a/1'))).toBe('MASTER_KEY_INVALID');

    const safeStorage = fakeSafeStorage();
    const store = new SafeStorageSecretStore({ dataDir, safeStorage });
    await store.set('a/1', SECRET);
    const file = path.join(dataDir, SAFE_STORAGE_FILE);
    const doc = JSON.parse(await fs.readFile(file, 'utf8'));
    doc.entries['a/2'] = doc.entries['a/1'];
    await fs.writeFile(file, JSON.stringify(doc));
    expect(await codeOf(store.get('a/2'))).toBe('MASTER_KEY_INVALID');
  });

  it('refuses to encrypt when safeStorage is unavailable or only basic_text', async () => {
    const off = new SafeStorageSecretStore({ dataDir, safeStorage: fakeSafeStorage({ available: false }) });
    expect(off.describe().ok).toBe(false);
    expect(await codeOf(off.set('a/1', SECRET))).toBe('SECRET_STORE_UNAVAILABLE');

    const weak = new SafeStorageSecretStore({ dataDir, safeStorage: fakeSafeStorage({ backend: 'basic_text' }) });
    expect(weak.describe()).toMatchObject({ ok: false });
    expect(await codeOf(weak.set('a/1', SECRET))).toBe('SECRET_STORE_UNAVAILABLE');
    const allowed = new SafeStorageSecretStore({
      dataDir,
      safeStorage: fakeSafeStorage({ backend: 'basic_text' }),
      allowWeakLinuxBackend: true,
    });
    await allowed.set('a/1', SECRET);
    expect(await allowed.get('a/1')).toBe(SECRET);
  });
});
