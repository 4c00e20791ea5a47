// OAuth apps from the environment on a real `kiln serve`: set on start, replaced (not doubled) on
// the next start with other values, a removed secret variable removes the stored secret, the
// secret never lands in the database, and a malformed variable stops the server with its name.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDnsServer, type TestDnsServer } from '../helpers/dns-server';
import { apiClient, createToken, startKiln, tempDataDir, type KilnProcess } from '../helpers/kiln';

const dataDir = tempDataDir('kiln-oauth-env');
const SECRET = 'env-client-secret-5b1d0c';
let dns: TestDnsServer;
let kiln: KilnProcess | null = null;

const start = (env: NodeJS.ProcessEnv) => startKiln({ dataDir, env, args: ['--no-feedback', '--no-warmup', '--dns-servers', dns.server] });

async function apps(k: KilnProcess) {
  const api = apiClient(k.url, await createToken(dataDir));
  const res = await api.get('/api/v1/oauth/apps');
  expect(res.status).toBe(200);
  return res.body.data as { id: string; provider: string; label: string; clientId: string; hasClientSecret: boolean; tenant: string | null }[];
}

beforeAll(async () => {
  dns = await startDnsServer({});
});

afterAll(async () => {
  await kiln?.stop();
  await dns?.close();
});

describe('OAuth apps from KILN_OAUTH_* on kiln serve', () => {
  it('sets the apps the environment names, with the secret in the secret store only', async () => {
    kiln = await start({ KILN_OAUTH_MICROSOFT_CLIENT_ID: 'ms-app-1', KILN_OAUTH_MICROSOFT_CLIENT_SECRET: SECRET, KILN_OAUTH_MICROSOFT_TENANT: 'contoso.onmicrosoft.com' });
    const list = await apps(kiln);
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ provider: 'microsoft', clientId: 'ms-app-1', hasClientSecret: true, tenant: 'contoso.onmicrosoft.com' });
    await kiln.stop();
    kiln = null;
    for (const f of fs.readdirSync(dataDir).filter((f) => f.startsWith('kiln.db'))) {
      expect(fs.readFileSync(path.join(dataDir, f)).includes(SECRET), f).toBe(false);
    }
  });

  it('replaces the same app on the next start: new values, no twin, the dropped secret removed', async () => {
    kiln = await start({ KILN_OAUTH_MICROSOFT_CLIENT_ID: 'ms-app-2', KILN_OAUTH_GOOGLE_CLIENT_ID: 'g-app.apps.googleusercontent.com' });
    const list = await apps(kiln);
    expect(list.map((a) => a.provider).sort()).toEqual(['google', 'microsoft']);
    const ms = list.find((a) => a.provider === 'microsoft')!;
    expect(ms).toMatchObject({ clientId: 'ms-app-2', hasClientSecret: false, tenant: null });
    await kiln.stop();
    kiln = null;
  });

  it('refuses a malformed variable by name and does not start', async () => {
    const err = await start({ KILN_OAUTH_CUSTOM_CLIENT_ID: 'kiln', KILN_OAUTH_CUSTOM_ISSUER: 'not a url' }).catch((e: Error) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toMatch(/kiln serve exited with [1-9]/);
    expect((err as Error).message).not.toContain('Server listening');
    expect((err as Error).message).toContain('KILN_OAUTH_CUSTOM_ISSUER');
    const orphan = await start({ KILN_OAUTH_GOOGLE_CLIENT_SECRET: 'x' }).catch((e: Error) => e);
    expect((orphan as Error).message).toContain('KILN_OAUTH_GOOGLE_CLIENT_SECRET is set but KILN_OAUTH_GOOGLE_CLIENT_ID is not');
  });
});
