// Which secret store the desktop core gets. Electron's safeStorage (OS keychain-backed) when it
// really protects secrets, else the core's default (AES-256-GCM file keyed by the key file).
//
// The choice is sticky: once secrets were written by one backend, later starts keep using it,
// even if the keychain is locked today. Silently switching would strand every stored password in
// the other store; a store that reports "unavailable" is the honest outcome instead.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { safeStorage } from 'electron';
import { SECRETS_FILE } from '../core/secrets/file-store';
import type { SecretStore } from '../core/secrets/secret-store';
import { SAFE_STORAGE_FILE, SafeStorageSecretStore } from './secrets/safe-storage-store';

export type SecretChoice = { store: SecretStore | undefined; reason: string };

function safeStorageUsable(): { ok: boolean; why: string } {
  if (!safeStorage.isEncryptionAvailable()) return { ok: false, why: 'safeStorage encryption is not available' };
  if (process.platform === 'linux' && safeStorage.getSelectedStorageBackend() === 'basic_text') {
    return { ok: false, why: 'no OS keyring (safeStorage would use a hard-coded key)' };
  }
  return { ok: true, why: 'OS keychain available' };
}

/** Call after app 'ready' (safeStorage answers nothing useful before). */
export function chooseSecretStore(dataDir: string): SecretChoice {
  const safeFile = path.join(dataDir, SAFE_STORAGE_FILE);
  const fileStoreFile = path.join(dataDir, SECRETS_FILE);

  if (existsSync(safeFile)) {
    return {
      store: new SafeStorageSecretStore({ dataDir, safeStorage }),
      reason: `existing ${SAFE_STORAGE_FILE}`,
    };
  }
  if (existsSync(fileStoreFile)) return { store: undefined, reason: `existing ${SECRETS_FILE}` };

  const usable = safeStorageUsable();
  return usable.ok
    ? { store: new SafeStorageSecretStore({ dataDir, safeStorage }), reason: usable.why }
    : { store: undefined, reason: `${usable.why}: using the encrypted file store` };
}
