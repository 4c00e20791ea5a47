// Run inside a throwaway D-Bus session with gnome-keyring (see test/integration/secrets-keytar.test.ts):
// exercises the keytar backend against a real Secret Service and prints one JSON line.
// Usage: node --import tsx test/helpers/keytar-roundtrip.ts <dataDir>
import { openSecretStore } from '../../electron/core/secrets';
import { KeytarSecretStore, loadKeytar, probeKeytar } from '../../electron/core/secrets/keytar-store';

const SECRET = 'keytar-Plaintext-Canary-31d0';

async function main(): Promise<Record<string, unknown>> {
  const dataDir = process.argv[2] ?? '/tmp/kiln-keytar-roundtrip';
  const probe = await probeKeytar({ dataDir });
  if (!probe.ok) return { probeOk: false, reason: probe.reason };
  const store = probe.store;
  const ref = 'mailbox/roundtrip/smtp';

  const before = await store.get(ref);
  await store.set(ref, SECRET);
  const afterSet = await store.get(ref);
  await store.set(ref, `${SECRET}-2`);
  const afterOverwrite = await store.get(ref);

  // Another data folder's namespace must not see this entry.
  const other = await probeKeytar({ dataDir: `${dataDir}-other` });
  const otherSees = other.ok ? await other.store.get(ref) : 'probe failed';

  // The raw keychain account is namespaced, not the bare ref.
  const loaded = await loadKeytar();
  const bare = loaded.ok ? await new KeytarSecretStore(loaded.keytar).get(ref) : 'load failed';

  await store.delete(ref);
  const afterDelete = await store.get(ref);
  await store.delete(ref); // deleting a missing entry is not an error

  const viaIndex = await openSecretStore({ dataDir, backend: 'keytar' });
  await viaIndex.set('api/key', 'k');
  const viaIndexGet = await viaIndex.get('api/key');
  await viaIndex.delete('api/key');

  return {
    probeOk: true,
    backend: store.backend,
    describe: store.describe(),
    before,
    setMatches: afterSet === SECRET,
    overwriteMatches: afterOverwrite === `${SECRET}-2`,
    otherSees,
    bare,
    afterDelete,
    viaIndexBackend: viaIndex.backend,
    viaIndexGet,
  };
}

main().then(
  (result) => {
    process.stdout.write(JSON.stringify(result) + '\n');
  },
  (e: unknown) => {
    process.stdout.write(JSON.stringify({ error: e instanceof Error ? `${e.name}: ${e.message}` : String(e) }) + '\n');
    process.exitCode = 1;
  },
);
