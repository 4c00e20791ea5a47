// Desktop secret store over Electron's safeStorage (OS-keychain-backed encryption). This file
// does not import 'electron': the main process passes `safeStorage` in, and tests pass a fake.
// safeStorage only works after app 'ready'.
import path from 'node:path';
import { KilnError } from '../../../shared/errors';
import {
  ensurePrivateDir,
  readFileIfExists,
  SerialQueue,
  writeFileAtomic,
} from '../../core/secrets/atomic-file';
import { assertRef, assertValue, type SecretStore } from '../../core/secrets/secret-store';

/** The subset of Electron's `safeStorage` used here. */
export interface SafeStorageLike {
  isEncryptionAvailable(): boolean;
  encryptString(plainText: string): Buffer;
  decryptString(encrypted: Buffer): string;
  /** Linux only in Electron; 'basic_text' means a hard-coded key, i.e. no real protection. */
  getSelectedStorageBackend?(): string;
}

export const SAFE_STORAGE_FILE = 'secrets.safe-storage.json';
const FORMAT = 'kiln-safe-storage';
const VERSION = 1;

interface Doc {
  format: typeof FORMAT;
  version: typeof VERSION;
  entries: Record<string, string>; // ref -> base64 ciphertext of JSON {r: ref, v: value}
}

export interface SafeStorageSecretStoreOptions {
  dataDir: string;
  safeStorage: SafeStorageLike;
  /** Accept Linux's 'basic_text' fallback (obfuscation only). Off by default. */
  allowWeakLinuxBackend?: boolean;
}

export class SafeStorageSecretStore implements SecretStore {
  readonly backend = 'safe-storage' as const;
  readonly file: string;
  private readonly safe: SafeStorageLike;
  private readonly allowWeak: boolean;
  private readonly writes = new SerialQueue();

  constructor(opts: SafeStorageSecretStoreOptions) {
    this.file = path.join(opts.dataDir, SAFE_STORAGE_FILE);
    this.safe = opts.safeStorage;
    this.allowWeak = opts.allowWeakLinuxBackend ?? false;
  }

  async get(ref: string): Promise<string | null> {
    assertRef(ref);
    const doc = await this.load();
    const b64 = Object.hasOwn(doc.entries, ref) ? doc.entries[ref] : undefined;
    if (b64 === undefined) return null;
    this.assertAvailable();
    let payload: { r?: unknown; v?: unknown };
    try {
      payload = JSON.parse(this.safe.decryptString(Buffer.from(b64, 'base64'))) as typeof payload;
    } catch {
      throw new KilnError(
        'MASTER_KEY_INVALID',
        `Secret ${ref} in ${this.file} cannot be decrypted by the OS keychain (different user or machine, or the file was modified)`,
        { file: this.file, ref },
      );
    }
    // safeStorage has no associated data, so the ref travels inside the ciphertext instead.
    if (payload.r !== ref || typeof payload.v !== 'string') {
      throw new KilnError('MASTER_KEY_INVALID', `Secret ${ref} in ${this.file} does not belong to that ref`, {
        file: this.file,
        ref,
      });
    }
    return payload.v;
  }

  async set(ref: string, value: string): Promise<void> {
    assertRef(ref);
    assertValue(value);
    this.assertAvailable();
    const sealed = this.safe.encryptString(JSON.stringify({ r: ref, v: value })).toString('base64');
    await this.mutate((entries) => {
      entries[ref] = sealed;
    });
  }

  async delete(ref: string): Promise<void> {
    assertRef(ref);
    await this.mutate((entries) => {
      delete entries[ref];
    });
  }

  describe() {
    const problem = this.problem();
    const base = { backend: this.backend, location: this.file };
    return problem ? { ...base, ok: false, detail: problem } : { ...base, ok: true, detail: 'Electron safeStorage' };
  }

  private problem(): string | null {
    if (!this.safe.isEncryptionAvailable()) return 'Electron safeStorage reports encryption is not available';
    const linuxBackend = this.safe.getSelectedStorageBackend?.();
    if (linuxBackend === 'basic_text' && !this.allowWeak) {
      return 'No OS keyring found: Electron safeStorage would use a hard-coded key (basic_text)';
    }
    return null;
  }

  private assertAvailable(): void {
    const problem = this.problem();
    if (problem) throw new KilnError('SECRET_STORE_UNAVAILABLE', problem, { backend: this.backend });
  }

  private mutate(change: (entries: Record<string, string>) => void): Promise<void> {
    return this.writes.run(async () => {
      await ensurePrivateDir(path.dirname(this.file));
      const doc = await this.load();
      change(doc.entries);
      await writeFileAtomic(this.file, JSON.stringify(doc, null, 2) + '\n');
    });
  }

  private async load(): Promise<Doc> {
    const raw = await readFileIfExists(this.file);
    if (!raw) return { format: FORMAT, version: VERSION, entries: {} };
    let doc: Partial<Doc>;
    try {
      doc = JSON.parse(raw.toString('utf8')) as Partial<Doc>;
    } catch {
      throw new KilnError('SECRET_STORE_UNAVAILABLE', `Secrets file ${this.file} is not valid JSON (corrupted?)`);
    }
    const entries = doc?.entries;
    if (doc?.format !== FORMAT || doc.version !== VERSION || typeof entries !== 'object' || entries === null) {
      throw new KilnError('SECRET_STORE_UNAVAILABLE', `${this.file} is not a Kiln safe-storage secrets file (version ${VERSION})`);
    }
    if (!Object.values(entries).every((v) => typeof v === 'string')) {
      throw new KilnError('SECRET_STORE_UNAVAILABLE', `Secrets file ${this.file} is malformed`);
    }
    return doc as Doc;
  }
}
