// `kiln mailbox add --oauth` and `kiln mailbox reconnect` as real processes: the CLI prints the
// provider's URL (or a device code), the test signs in at the real OpenID provider over HTTP and the
// provider's redirect reaches the CLI's one-shot loopback listener; the CLI creates the mailbox with
// that grant and exits 0. Declined consent exits non-zero with the coded error. No code or token is
// printed or left in the data folder.
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startTestCore } from '../helpers/core';
import { headlessEntry, tempDataDir } from '../helpers/kiln';
import { addMailHubOAuthUser } from '../helpers/mailhub';
import { addOidcUser, confirmDeviceCode, followAuthorization, registerOidcClient } from '../helpers/oidc-flow';
import { waitFor } from '../helpers/wait';

const hub = inject('mailhub');
const oidc = inject('oidc');
const user = `cli-oauth-${randomUUID().slice(0, 8)}@warm.test`;
const password = 'idp-cli-pw';
const dataDir = tempDataDir('kiln-cli-oauth');
const codes: string[] = [];

beforeAll(async () => {
  await addOidcUser(oidc, user, password);
  await addMailHubOAuthUser(hub, user);
  const client = await registerOidcClient(oidc, {
    redirect_uris: ['http://127.0.0.1/oauth/callback'],
    token_endpoint_auth_method: 'none',
    grant_types: ['authorization_code', 'refresh_token', 'urn:ietf:params:oauth:grant-type:device_code'],
  });
  // The data folder and its OAuth app, set up in-process; the CLI then works on the same folder.
  const k = await startTestCore({ dataDir, warmup: false });
  await k.call('oauthApps.set', { provider: 'custom', clientId: client.clientId, issuer: oidc.issuer, scopes: ['openid', 'email', 'offline_access', 'mail'] });
  await k.core.close();
});

/** Runs the CLI; `out()` is what it printed so far, `done` its exit. */
function cli(args: string[]) {
  const child = spawn(process.execPath, [headlessEntry, ...args, '--data', dataDir, '--ca-file', hub.caCertPath], { env: { ...process.env, KILN_LOG_LEVEL: 'warn' }, stdio: 'pipe' });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  const done = new Promise<number>((r) => child.on('close', (c) => r(c ?? -1)));
  return { out: () => out, done };
}

const server = ['--smtp-host', '127.0.0.1', '--smtp-port', String(hub.ports.submission), '--smtp-security', 'starttls', '--imap-host', '127.0.0.1', '--imap-port', String(hub.ports.imap), '--imap-security', 'starttls'];

/** The authorization URL the CLI printed, and its redirect URI. */
async function printedUrl(run: ReturnType<typeof cli>): Promise<{ url: string; redirectUri: string }> {
  const url = await waitFor(() => /^(http:\/\/127\.0\.0\.1:\d+\/auth\S*)$/m.exec(run.out())?.[1], { timeoutMs: 20_000, what: 'the CLI to print the sign-in URL' });
  return { url, redirectUri: new URL(url).searchParams.get('redirect_uri')! };
}

/** Every file of the data folder, as text. */
function persisted(): string {
  return fs.readdirSync(dataDir).map((f) => fs.readFileSync(path.join(dataDir, f)).toString('latin1')).join('\n');
}

afterAll(() => {
  for (const c of codes) expect(persisted()).not.toContain(c);
});

describe('kiln mailbox add --oauth', () => {
  it('prints the URL, waits for the provider\'s redirect to its loopback listener, and creates the mailbox with the grant', async () => {
    const run = cli(['mailbox', 'add', '--email', user, '--oauth', 'custom', ...server]);
    const { url, redirectUri } = await printedUrl(run);
    expect(redirectUri).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/oauth\/callback$/);
    const cb = await followAuthorization(oidc, url, redirectUri, { user, password, consent: true });
    codes.push(cb.code!);
    expect((await fetch(cb.callbackUrl)).status).toBe(200);
    expect(await run.done).toBe(0);
    expect(run.out()).toContain(`Signed in as ${user}`);
    expect(run.out()).toMatch(new RegExp(`^mbx_\\S+\\t${user.replace(/[.]/g, '\\.')}$`, 'm'));
    expect(run.out()).not.toContain(cb.code!);

    // The mailbox signs in with its tokens: the connection test passes every stage, oauth included.
    const test = cli(['mailbox', 'test', user]);
    expect(await test.done, test.out()).toBe(0);
    expect(test.out()).toMatch(/oauth: passed/);
  });

  it('refuses a declined consent with the coded error and a non-zero exit, creating nothing', async () => {
    const other = `cli-declined-${randomUUID().slice(0, 8)}@warm.test`;
    const run = cli(['mailbox', 'add', '--email', other, '--oauth', 'custom', ...server]);
    const { url, redirectUri } = await printedUrl(run);
    const cb = await followAuthorization(oidc, url, redirectUri, { user, password, consent: false });
    await fetch(cb.callbackUrl);
    expect(await run.done).not.toBe(0);
    expect(run.out()).toContain('OAUTH_CALLBACK_INVALID');
    const list = cli(['mailbox', 'list']);
    await list.done;
    expect(list.out()).not.toContain(other);
  });
});

describe('kiln mailbox reconnect', () => {
  it('signs the mailbox in again through the device code', async () => {
    const run = cli(['mailbox', 'reconnect', user, '--device']);
    const [, verificationUri, userCode] = await waitFor(() => /open (\S+) and enter the code (\S+)/.exec(run.out()) ?? undefined, { timeoutMs: 20_000, what: 'the CLI to print the user code' });
    await confirmDeviceCode(oidc, verificationUri!, userCode!, { user, password });
    expect(await run.done, run.out()).toBe(0);
    expect(run.out()).toMatch(new RegExp(`\\t${user.replace(/[.]/g, '\\.')}\\tactive$`, 'm'));
  });
});
