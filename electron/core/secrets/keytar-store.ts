// The OS keychain through keytar (libsecret / Keychain / Credential Manager). keytar is an
// optional native dependency that may be missing or unable to reach a keychain (no D-Bus
// session on a server), so it is loaded lazily and proven with a round trip before use.
import { createHash, randomBytes } from 'node:crypto';
import path from 'node:path';
import { KilnError } from '../../../shared/errors';
import { assertRef, assertValue, type SecretStore } from './secret-store';

/** The part of keytar's API we use (declared here so typechecking works without keytar). */
export interface KeytarLike {
  getPassword(service: string, account: string): Promise<string | null>;
  setPassword(service: string, account: string, password: string): Promise<void>;
  deletePassword(service: string, account: string): Promise<boolean>;
}

export const KEYTAR_SERVICE = 'kiln';
const DEFAULT_OP_TIMEOUT_MS = 10_000;
const DEFAULT_PROBE_TIMEOUT_MS = 5_000;

/** A short stable id of a data folder, so two data folders never share keychain entries. */
export function keytarNamespace(dataDir: string): string {
  return createHash('sha256').update(path.resolve(dataDir)).digest('hex').slice(0, 12);
}

// A hung keychain (e.g. waiting on an unlock prompt nobody can see) must surface as an error,
// not as a stuck send. The native call cannot be cancelled; we just stop waiting for it.
function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms);
    timer.unref();
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

const reasonOf = (e: unknown) => (e instanceof Error ? e.message : String(e));

export interface KeytarSecretStoreOptions {
  service?: string;
  /** Prefix for account names (see keytarNamespace); omitted = account is the bare ref. */
  namespace?: string;
  timeoutMs?: number;
}

export class KeytarSecretStore implements SecretStore {
  readonly backend = 'keytar' as const;
  private readonly service: string;
  private readonly namespace: string | undefined;
  private readonly timeoutMs: number;

  constructor(
    private readonly keytar: KeytarLike,
    opts: KeytarSecretStoreOptions = {},
  ) {
    this.service = opts.service ?? KEYTAR_SERVICE;
    this.namespace = opts.namespace;
    this.timeoutMs = opts.timeoutMs ?? DEFAULT_OP_TIMEOUT_MS;
  }

  async get(ref: string): Promise<string | null> {
    assertRef(ref);
    return this.call('get', ref, () => this.keytar.getPassword(this.service, this.account(ref)));
  }

  async set(ref: string, value: string): Promise<void> {
    assertRef(ref);
    assertValue(value);
    await this.call('set', ref, () => this.keytar.setPassword(this.service, this.account(ref), value));
  }

  async delete(ref: string): Promise<void> {
    assertRef(ref);
    await this.call('delete', ref, () => this.keytar.deletePassword(this.service, this.account(ref)));
  }

  describe() {
    const ns = this.namespace ? `, accounts prefixed ${this.namespace}:` : '';
    return { backend: this.backend, location: `OS keychain, service "${this.service}"${ns}`, ok: true };
  }

  private account(ref: string): string {
    return this.namespace ? `${this.namespace}:${ref}` : ref;
  }

  // keytar's errors come from the keychain (e.g. "Cannot autolaunch D-Bus") and never carry
  // the value; still, only the ref and the reason are put in our message.
  private async call<T>(op: string, ref: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await withTimeout(fn(), this.timeoutMs, 'The OS keychain');
    } catch (e) {
      throw new KilnError('SECRET_STORE_UNAVAILABLE', `OS keychain ${op} of ${ref} failed: ${reasonOf(e)}`, {
        backend: 'keytar',
        ref,
      });
    }
  }
}

/** Loads the optional keytar module; never throws. */
export async function loadKeytar(): Promise<{ ok: true; keytar: KeytarLike } | { ok: false; reason: string }> {
  // A variable specifier keeps TypeScript and bundlers from requiring keytar at build time.
  const specifier = 'keytar';
  try {
    const mod = (await import(/* @vite-ignore */ specifier)) as KeytarLike & { default?: KeytarLike };
    const keytar = mod.default ?? mod; // CommonJS module: the API is on `default` under ESM
    if (typeof keytar.getPassword !== 'function') return { ok: false, reason: 'keytar module has no getPassword()' };
    return { ok: true, keytar };
  } catch (e) {
    return { ok: false, reason: `keytar is not installed or failed to load: ${reasonOf(e)}` };
  }
}

export interface ProbeKeytarOptions extends KeytarSecretStoreOptions {
  /** Namespaces the store by data folder (ignored when `namespace` is given). */
  dataDir?: string;
  probeTimeoutMs?: number;
  /** Use this instead of loading the keytar module (tests). */
  keytar?: KeytarLike;
}

export type ProbeResult = { ok: true; store: KeytarSecretStore } | { ok: false; reason: string };

/**
 * Proves a keychain answers: set, get and delete a random probe entry, each within a timeout.
 * A missing keytar, a missing D-Bus session or a locked keychain yields { ok: false, reason }.
 */
export async function probeKeytar(opts: ProbeKeytarOptions = {}): Promise<ProbeResult> {
  const loaded = opts.keytar ? { ok: true as const, keytar: opts.keytar } : await loadKeytar();
  if (!loaded.ok) return loaded;
  const { keytar } = loaded;
  const service = opts.service ?? KEYTAR_SERVICE;
  const namespace = opts.namespace ?? (opts.dataDir ? keytarNamespace(opts.dataDir) : undefined);
  const ms = opts.probeTimeoutMs ?? DEFAULT_PROBE_TIMEOUT_MS;
  // A random account, so two processes probing at once cannot read each other's nonce.
  const account = `${namespace ? `${namespace}:` : ''}kiln-probe/${randomBytes(6).toString('hex')}`;
  const nonce = randomBytes(16).toString('hex');
  let step = 'set';
  try {
    await withTimeout(keytar.setPassword(service, account, nonce), ms, 'The OS keychain');
    step = 'get';
    const back = await withTimeout(keytar.getPassword(service, account), ms, 'The OS keychain');
    step = 'delete';
    await withTimeout(keytar.deletePassword(service, account), ms, 'The OS keychain');
    if (back !== nonce) return { ok: false, reason: 'the OS keychain did not return the value just stored' };
  } catch (e) {
    return { ok: false, reason: `probe ${step} failed: ${reasonOf(e)}` };
  }
  return { ok: true, store: new KeytarSecretStore(keytar, { service, namespace, timeoutMs: opts.timeoutMs }) };
}
