// A SecretStore keeps credentials out of SQLite: the database holds only an opaque reference
// (e.g. `mailbox/<id>/smtp`), the value lives here. Nothing in this module ever logs or
// echoes a value: error messages may name a ref or a file, never what is stored.
import { KilnError } from '../../../shared/errors';

export type SecretBackend = 'file' | 'keytar' | 'safe-storage';

export interface SecretStore {
  readonly backend: SecretBackend;
  get(ref: string): Promise<string | null>;
  set(ref: string, value: string): Promise<void>;
  delete(ref: string): Promise<void>;
  /** Human-readable status for `kiln doctor` / settings: never contains a secret. */
  describe(): { backend: SecretBackend; location: string; ok: boolean; detail?: string };
}

export type SecretKind = 'smtp' | 'imap';

/** The one place that spells a mailbox credential's ref, so every backend sees the same names. */
export function mailboxSecretRef(mailboxId: string, kind: SecretKind): string {
  const ref = `mailbox/${mailboxId}/${kind}`;
  assertRef(ref);
  return ref;
}

// Refs end up as JSON keys, keychain account names and GCM associated data: keep them a
// boring, printable shape so they are safe to show in messages and logs.
const REF_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:@/-]{0,199}$/;
const MAX_VALUE_BYTES = 64 * 1024;

export function assertRef(ref: string): void {
  if (typeof ref !== 'string' || !REF_PATTERN.test(ref)) {
    throw new KilnError('VALIDATION_FAILED', 'Invalid secret reference: expected 1-200 chars of [A-Za-z0-9._:@/-]', {
      field: 'ref',
    });
  }
}

/** Empty values are refused everywhere (keychains reject them): delete the ref instead. */
export function assertValue(value: string): void {
  if (typeof value !== 'string' || value.length === 0) {
    throw new KilnError('VALIDATION_FAILED', 'A secret value must be a non-empty string', { field: 'value' });
  }
  if (Buffer.byteLength(value, 'utf8') > MAX_VALUE_BYTES) {
    throw new KilnError('VALIDATION_FAILED', `A secret value must be at most ${MAX_VALUE_BYTES} bytes`, {
      field: 'value',
    });
  }
}

/** get() that treats a missing secret as an error: for code paths that cannot work without it. */
export async function requireSecret(store: SecretStore, ref: string): Promise<string> {
  const value = await store.get(ref);
  if (value === null) {
    throw new KilnError('SECRET_NOT_FOUND', `No secret stored for ${ref} in the ${store.backend} secret store`, {
      ref,
      backend: store.backend,
    });
  }
  return value;
}
