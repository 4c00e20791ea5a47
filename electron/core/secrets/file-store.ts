// The headless default: one JSON file of AES-256-GCM entries. Each entry has its own random IV
// and binds its ref as associated data, so an entry copied under another ref fails to decrypt.
// A `check` entry lets a wrong master key be reported at open, before any secret is needed.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import path from 'node:path';
import { KilnError } from '../../../shared/errors';
import { ensurePrivateDir, readFileIfExists, SerialQueue, writeFileAtomic } from './atomic-file';
import { loadMasterKey, type MasterKey } from './master-key';
import { assertRef, assertValue, type SecretStore } from './secret-store';

export const SECRETS_FILE = 'secrets.enc.json';
const FORMAT = 'kiln-secrets';
const VERSION = 1;
const CHECK_PLAINTEXT = 'kiln-master-key-check';

interface Sealed {
  iv: string;
  tag: string;
  ct: string;
}

interface SecretsDoc {
  format: typeof FORMAT;
  version: typeof VERSION;
  cipher: 'aes-256-gcm';
  check: Sealed;
  entries: Record<string, Sealed>;
}

// Distinct prefixes keep the check's associated data from ever equalling an entry's.
const aadFor = (ref: string) => Buffer.from(`${FORMAT}/v${VERSION}/entry/${ref}`, 'utf8');
const CHECK_AAD = Buffer.from(`${FORMAT}/v${VERSION}/check`, 'utf8');

function seal(key: Buffer, aad: Buffer, plaintext: string): Sealed {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(aad);
  const ct = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return { iv: iv.toString('base64'), tag: cipher.getAuthTag().toString('base64'), ct: ct.toString('base64') };
}

/** Returns null when authentication fails (wrong key, tampering, or a moved entry). */
function unseal(key: Buffer, aad: Buffer, s: Sealed): string | null {
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(s.iv, 'base64'), { authTagLength: 16 });
    decipher.setAAD(aad);
    decipher.setAuthTag(Buffer.from(s.tag, 'base64'));
    return Buffer.concat([decipher.update(Buffer.from(s.ct, 'base64')), decipher.final()]).toString('utf8');
  } catch {
    return null;
  }
}

function isSealed(v: unknown): v is Sealed {
  const s = v as Partial<Sealed> | null;
  return typeof s === 'object' && s !== null && typeof s.iv === 'string' && typeof s.tag === 'string' && typeof s.ct === 'string';
}

export class FileSecretStore implements SecretStore {
  readonly backend = 'file' as const;
  private readonly writes = new SerialQueue();

  constructor(
    readonly file: string,
    private readonly master: MasterKey,
  ) {}

  async get(ref: string): Promise<string | null> {
    assertRef(ref);
    const doc = await this.load();
    // hasOwn: a ref like `constructor` must not find Object.prototype's member.
    const entry = doc && Object.hasOwn(doc.entries, ref) ? doc.entries[ref] : undefined;
    if (!entry) return null;
    const value = unseal(this.master.key, aadFor(ref), entry);
    if (value === null) {
      throw new KilnError(
        'MASTER_KEY_INVALID',
        `Secret ${ref} in ${this.file} failed authentication: the file was modified or corrupted`,
        { file: this.file, ref },
      );
    }
    return value;
  }

  async set(ref: string, value: string): Promise<void> {
    assertRef(ref);
    assertValue(value);
    await this.mutate((entries) => {
      entries[ref] = seal(this.master.key, aadFor(ref), value);
    });
  }

  async delete(ref: string): Promise<void> {
    assertRef(ref);
    await this.mutate((entries) => {
      delete entries[ref];
    });
  }

  describe() {
    return {
      backend: this.backend,
      location: this.file,
      ok: true,
      detail: `AES-256-GCM, master key from ${this.master.location}`,
    };
  }

  /** Verifies the file and the key; called once at open so a wrong key fails fast. */
  async verify(): Promise<void> {
    await this.load();
  }

  // Re-read on every call (files are tiny) so a CLI command and a running server see each
  // other's writes; within this process the queue serialises read-modify-write cycles.
  private mutate(change: (entries: Record<string, Sealed>) => void): Promise<void> {
    return this.writes.run(async () => {
      const doc = (await this.load()) ?? this.emptyDoc();
      change(doc.entries);
      await writeFileAtomic(this.file, JSON.stringify(doc, null, 2) + '\n');
    });
  }

  private emptyDoc(): SecretsDoc {
    return {
      format: FORMAT,
      version: VERSION,
      cipher: 'aes-256-gcm',
      check: seal(this.master.key, CHECK_AAD, CHECK_PLAINTEXT),
      entries: {},
    };
  }

  private async load(): Promise<SecretsDoc | null> {
    const raw = await readFileIfExists(this.file);
    if (!raw) return null;
    const doc = parseDoc(raw, this.file);
    if (unseal(this.master.key, CHECK_AAD, doc.check) !== CHECK_PLAINTEXT) {
      throw new KilnError(
        'MASTER_KEY_INVALID',
        `The master key (${this.master.location}) does not decrypt ${this.file}. Use the key these secrets were written with.`,
        { file: this.file },
      );
    }
    return doc;
  }
}

function parseDoc(raw: Buffer, file: string): SecretsDoc {
  let doc: Partial<SecretsDoc>;
  try {
    doc = JSON.parse(raw.toString('utf8')) as Partial<SecretsDoc>;
  } catch {
    throw new KilnError('SECRET_STORE_UNAVAILABLE', `Secrets file ${file} is not valid JSON (corrupted?)`, { file });
  }
  if (doc?.format !== FORMAT || typeof doc.version !== 'number') {
    throw new KilnError('SECRET_STORE_UNAVAILABLE', `${file} is not a Kiln secrets file`, { file });
  }
  if (doc.version !== VERSION) {
    throw new KilnError(
      'SECRET_STORE_UNAVAILABLE',
      `Secrets file ${file} has format version ${doc.version}; this Kiln reads version ${VERSION} (written by a newer Kiln?)`,
      { file },
    );
  }
  const entries = doc.entries;
  if (!isSealed(doc.check) || typeof entries !== 'object' || entries === null) {
    throw new KilnError('SECRET_STORE_UNAVAILABLE', `Secrets file ${file} is malformed`, { file });
  }
  for (const [ref, entry] of Object.entries(entries)) {
    if (!isSealed(entry)) {
      throw new KilnError('SECRET_STORE_UNAVAILABLE', `Secrets file ${file} has a malformed entry for ${ref}`, { file });
    }
  }
  return doc as SecretsDoc;
}

export interface OpenFileSecretStoreOptions {
  dataDir: string;
  env?: NodeJS.ProcessEnv;
}

/** Opens (without creating) the encrypted file store; throws MASTER_KEY_INVALID on a wrong key. */
export async function openFileSecretStore(opts: OpenFileSecretStoreOptions): Promise<FileSecretStore> {
  await ensurePrivateDir(opts.dataDir);
  const file = path.join(opts.dataDir, SECRETS_FILE);
  const exists = (await readFileIfExists(file)) !== null;
  const master = await loadMasterKey({ dataDir: opts.dataDir, env: opts.env, allowCreate: !exists });
  const store = new FileSecretStore(file, master);
  await store.verify();
  return store;
}
