// The master key that encrypts secrets.enc.json. Servers pass it in the environment
// (KILN_MASTER_KEY) so the key never sits on the same disk as the ciphertext; otherwise a
// key file `master.key` (0600) in the data folder is created on first start.
import { randomBytes, scrypt, type ScryptOptions } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { KilnError } from '../../../shared/errors';
import { createFileExclusive, readFileIfExists } from './atomic-file';

export const MASTER_KEY_ENV = 'KILN_MASTER_KEY';
export const KEY_FILE = 'master.key';
export const SALT_FILE = 'secrets.salt';

export type MasterKeySource = 'env-hex' | 'env-base64' | 'env-passphrase' | 'key-file';

export interface MasterKey {
  /** 32 bytes for AES-256. */
  readonly key: Buffer;
  readonly source: MasterKeySource;
  /** Where it came from, for messages and `kiln doctor` (never the key itself). */
  readonly location: string;
}

export interface LoadMasterKeyOptions {
  dataDir: string;
  env?: NodeJS.ProcessEnv;
  /**
   * False when secrets already exist: then a missing key file or salt is an error instead of
   * a fresh key (a fresh key could never decrypt them and would hide the real problem).
   */
  allowCreate?: boolean;
}

// scrypt cost: ~100 ms once per start, 32 MiB of memory. Stored with the salt so it can change.
const SCRYPT = { N: 2 ** 15, r: 8, p: 1 } as const;

export async function loadMasterKey(opts: LoadMasterKeyOptions): Promise<MasterKey> {
  const env = opts.env ?? process.env;
  const allowCreate = opts.allowCreate ?? true;
  // An empty value (e.g. `KILN_MASTER_KEY=` in a compose file) counts as unset.
  const raw = env[MASTER_KEY_ENV]?.trim();
  if (raw) return fromEnv(raw, opts.dataDir, allowCreate);
  return fromKeyFile(path.join(opts.dataDir, KEY_FILE), allowCreate);
}

async function fromEnv(raw: string, dataDir: string, allowCreate: boolean): Promise<MasterKey> {
  if (/^[0-9a-fA-F]{64}$/.test(raw)) {
    return { key: Buffer.from(raw, 'hex'), source: 'env-hex', location: `env ${MASTER_KEY_ENV} (hex key)` };
  }
  if (/^[A-Za-z0-9+/]{43}=$/.test(raw)) {
    const key = Buffer.from(raw, 'base64');
    if (key.length === 32) {
      return { key, source: 'env-base64', location: `env ${MASTER_KEY_ENV} (base64 key)` };
    }
  }
  const saltFile = path.join(dataDir, SALT_FILE);
  const params = await loadOrCreateSalt(saltFile, allowCreate);
  const key = await scryptAsync(raw, params.salt, { N: params.N, r: params.r, p: params.p });
  return {
    key,
    source: 'env-passphrase',
    location: `env ${MASTER_KEY_ENV} (passphrase, scrypt salt in ${saltFile})`,
  };
}

interface SaltParams {
  salt: Buffer;
  N: number;
  r: number;
  p: number;
}

async function loadOrCreateSalt(saltFile: string, allowCreate: boolean): Promise<SaltParams> {
  let buf = await readFileIfExists(saltFile);
  if (!buf) {
    if (!allowCreate) {
      throw new KilnError(
        'MASTER_KEY_INVALID',
        `${MASTER_KEY_ENV} is a passphrase but its salt file ${saltFile} is missing, so existing secrets cannot be decrypted. Restore the file or use the original key.`,
      );
    }
    const doc = { version: 1, kdf: 'scrypt', ...SCRYPT, salt: randomBytes(16).toString('base64') };
    await createFileExclusive(saltFile, JSON.stringify(doc, null, 2) + '\n');
    buf = await fs.readFile(saltFile); // re-read: another process may have won the race
  }
  try {
    const doc = JSON.parse(buf.toString('utf8')) as Record<string, unknown>;
    const { version, kdf, N, r, p, salt } = doc;
    if (version === 1 && kdf === 'scrypt' && typeof salt === 'string' && isInt(N) && isInt(r) && isInt(p)) {
      const bytes = Buffer.from(salt, 'base64');
      if (bytes.length >= 16) return { salt: bytes, N, r, p };
    }
  } catch {
    // fall through to the error below
  }
  throw new KilnError('MASTER_KEY_INVALID', `Salt file ${saltFile} is not a valid Kiln scrypt salt file`);
}

function isInt(v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v > 0;
}

function scryptAsync(passphrase: string, salt: Buffer, o: { N: number; r: number; p: number }): Promise<Buffer> {
  const options: ScryptOptions = { ...o, maxmem: 256 * o.N * o.r + 1024 * 1024 };
  return new Promise((resolve, reject) => {
    scrypt(passphrase.normalize('NFC'), salt, 32, options, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

async function fromKeyFile(keyFile: string, allowCreate: boolean): Promise<MasterKey> {
  const location = `key file ${keyFile}`;
  let existing = await readFileIfExists(keyFile);
  if (!existing) {
    if (!allowCreate) {
      throw new KilnError(
        'MASTER_KEY_INVALID',
        `Secrets exist but the key file ${keyFile} is missing and ${MASTER_KEY_ENV} is not set. Restore master.key or set ${MASTER_KEY_ENV} to the original key.`,
      );
    }
    await createFileExclusive(keyFile, randomBytes(32).toString('base64') + '\n');
    existing = await fs.readFile(keyFile);
  }
  await assertOwnerOnly(keyFile);
  const text = existing.toString('utf8').trim();
  const key = Buffer.from(text, 'base64');
  if (key.length !== 32 || key.toString('base64') !== text) {
    throw new KilnError('MASTER_KEY_INVALID', `Key file ${keyFile} does not hold a base64 32-byte key`);
  }
  return { key, source: 'key-file', location };
}

// Like ssh with private keys: a key others can read is a leaked key, so refuse to use it.
// (Windows has no POSIX mode bits; its ACLs are the user profile's business.)
async function assertOwnerOnly(keyFile: string): Promise<void> {
  if (process.platform === 'win32') return;
  const mode = (await fs.stat(keyFile)).mode & 0o777;
  if ((mode & 0o077) !== 0) {
    throw new KilnError(
      'MASTER_KEY_INVALID',
      `Key file ${keyFile} is readable by group or others (mode ${mode.toString(8).padStart(4, '0')}). Run: chmod 600 '${keyFile}'`,
      { file: keyFile, mode: mode.toString(8) },
    );
  }
}
