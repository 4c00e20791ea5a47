// Picks the secret store for the core. The Electron shell may instead build a safe-storage
// store (electron/main/secrets) and hand it to the core: it is the same SecretStore interface.
import { KilnError } from '../../../shared/errors';
import { openFileSecretStore } from './file-store';
import { probeKeytar } from './keytar-store';
import type { SecretStore } from './secret-store';

export type SecretBackendChoice = 'auto' | 'file' | 'keytar';

export interface OpenSecretStoreOptions {
  dataDir: string;
  backend?: SecretBackendChoice;
  env?: NodeJS.ProcessEnv;
  /** How long the keytar probe may wait for the keychain. */
  keytarProbeTimeoutMs?: number;
}

/**
 * 'auto' resolves to 'file' on purpose: `kiln serve` runs headless where a keychain is usually
 * absent or locked, and silently switching backends between starts would strand secrets in
 * whichever store was used first. Only an explicit 'keytar' uses the OS keychain, and then a
 * keychain that does not answer is an error, not a quiet fallback.
 */
export async function openSecretStore(opts: OpenSecretStoreOptions): Promise<SecretStore> {
  const backend = opts.backend ?? 'auto';
  switch (backend) {
    case 'auto':
    case 'file':
      return openFileSecretStore({ dataDir: opts.dataDir, env: opts.env });
    case 'keytar': {
      const probe = await probeKeytar({ dataDir: opts.dataDir, probeTimeoutMs: opts.keytarProbeTimeoutMs });
      if (!probe.ok) {
        throw new KilnError(
          'SECRET_STORE_UNAVAILABLE',
          `The OS keychain (keytar) is not usable: ${probe.reason}. Use the file backend on headless machines.`,
          { backend: 'keytar' },
        );
      }
      return probe.store;
    }
    default:
      throw new KilnError('VALIDATION_FAILED', `Unknown secret backend: ${String(backend satisfies never)}`);
  }
}

export type { SecretBackend, SecretKind, SecretStore } from './secret-store';
export { assertRef, mailboxSecretRef, requireSecret } from './secret-store';
export { FileSecretStore, openFileSecretStore, SECRETS_FILE } from './file-store';
export { KEY_FILE, loadMasterKey, MASTER_KEY_ENV, SALT_FILE, type MasterKey } from './master-key';
export { KeytarSecretStore, keytarNamespace, loadKeytar, probeKeytar, type KeytarLike, type ProbeResult } from './keytar-store';
