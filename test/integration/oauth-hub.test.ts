/**
 * Proves the token-checking mail hub: Dovecot's oauth2 passdb asks the test authorization server (oidc-provider,
 * test/helpers/oidc.ts) about every XOAUTH2 / OAUTHBEARER token, on IMAP and, through Postfix's Dovecot SASL, on
 * submission. Tokens come from the real authorization code flow (login and consent through HTTP redirects).
 */
import { randomUUID } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { ImapFlow } from 'imapflow';
import nodemailer from 'nodemailer';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { addMailHubOAuthUser } from '../helpers/mailhub';
import {
  addOidcUser, authorize, exchangeCode, pkcePair, refreshTokens, registerOidcClient, revokeGrants, revokeToken, signIn, withPort,
} from '../helpers/oidc-flow';
import { waitFor } from '../helpers/wait';

const hub = inject('mailhub');
const oidc = inject('oidc');

const user = `oauth-${randomUUID().slice(0, 8)}@warm.test`;
const idpPassword = 'idp-secret-pw';

beforeAll(async () => {
  await addOidcUser(oidc, user, idpPassword);
  await addMailHubOAuthUser(hub, user);
});

function imap(auth: { user: string; accessToken?: string; pass?: string }): ImapFlow {
  return new ImapFlow({
    host: hub.host, port: hub.ports.imap, secure: false, doSTARTTLS: true, tls: { ca: [hub.caCert] },
    auth: auth as { user: string; accessToken: string }, logger: false, disableAutoIdle: true,
  });
}

/** Resolves true when the IMAP login with a token succeeds, false when the server refuses it. */
async function imapAccepts(login: string, accessToken: string): Promise<boolean> {
  const client = imap({ user: login, accessToken });
  try {
    await client.connect();
    await client.logout();
    return true;
  } catch (err) {
    if ((err as { authenticationFailed?: boolean }).authenticationFailed) return false;
    throw err;
  }
}

function submission(auth: object) {
  return nodemailer.createTransport({ host: hub.host, port: hub.ports.submission, secure: false, tls: { ca: [hub.caCert] }, auth });
}

/** Resolves true when submission accepts the XOAUTH2 token, false on 535. */
async function smtpAccepts(login: string, accessToken: string): Promise<boolean> {
  const transport = submission({ type: 'OAuth2', user: login, accessToken });
  try {
    return await transport.verify();
  } catch (err) {
    if ((err as { responseCode?: number }).responseCode === 535) return false;
    throw err;
  } finally {
    transport.close();
  }
}

/** One SASL exchange on a raw IMAP connection (imapflow prefers OAUTHBEARER when offered, so XOAUTH2 is sent by hand). */
function rawImapAuth(mechanism: string, initial: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const sock = net.connect({ host: hub.host, port: hub.ports.imap });
    let buf = '';
    let sent = false;
    sock.setEncoding('utf8');
    sock.on('data', (chunk: string) => {
      buf += chunk;
      if (!sent && buf.includes('* OK')) {
        sent = true;
        sock.write(`a1 AUTHENTICATE ${mechanism} ${Buffer.from(initial).toString('base64')}\r\n`);
      }
      if (/^\+ /m.test(buf)) buf = buf.replace(/^\+ .*\r\n/m, () => (sock.write('\r\n'), '')); // error challenge: answer empty
      const done = /^a1 (OK|NO|BAD).*$/m.exec(buf);
      if (done) {
        sock.end('a2 LOGOUT\r\n');
        resolve(done[0]);
      }
    });
    sock.on('error', reject);
  });
}

/** One SASL exchange on a raw submission connection; resolves with the EHLO AUTH line and the final AUTH reply. */
function rawSmtpAuth(mechanism: string, initial: string): Promise<{ ehloAuth: string; reply: string }> {
  return new Promise((resolve, reject) => {
    const sock = net.connect({ host: hub.host, port: hub.ports.submission });
    let buf = '';
    let step: 'greeting' | 'ehlo' | 'auth' = 'greeting';
    let ehloAuth = '';
    sock.setEncoding('utf8');
    sock.on('data', (chunk: string) => {
      buf += chunk;
      for (let nl = buf.indexOf('\r\n'); nl >= 0; nl = buf.indexOf('\r\n')) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 2);
        if (step === 'greeting' && line.startsWith('220 ')) {
          step = 'ehlo';
          sock.write('EHLO client.test\r\n');
        } else if (step === 'ehlo' && line.startsWith('250-AUTH ')) {
          ehloAuth = line.slice(4);
        } else if (step === 'ehlo' && line.startsWith('250 ')) {
          step = 'auth';
          sock.write(`AUTH ${mechanism} ${Buffer.from(initial).toString('base64')}\r\n`);
        } else if (step === 'auth' && line.startsWith('334 ')) {
          sock.write(mechanism === 'OAUTHBEARER' ? 'AQ==\r\n' : '\r\n'); // error challenge: end the exchange
        } else if (step === 'auth') {
          sock.end('QUIT\r\n');
          resolve({ ehloAuth, reply: line });
        }
      }
    });
    sock.on('error', reject);
  });
}

const xoauth2 = (login: string, token: string) => `user=${login}\x01auth=Bearer ${token}\x01\x01`;
const oauthbearer = (login: string, token: string) => `n,a=${login},\x01auth=Bearer ${token}\x01\x01`;

describe('mail hub with OAuth2 tokens', () => {
  it('a token from the redirect flow signs in to IMAP and submission (OAUTHBEARER and XOAUTH2 each) and its mail reaches the Maildir', async () => {
    const { verifier, challenge } = pkcePair();
    const redirectUri = withPort(oidc.clients.public.redirectUris[0] as string, 43_111);
    const auth = await authorize(oidc, { user, password: idpPassword, codeChallenge: challenge, state: 'st-1', redirectUri });
    expect(auth.state).toBe('st-1');
    expect(auth.callbackUrl.startsWith(`${redirectUri}?`)).toBe(true);
    const tokens = await exchangeCode(oidc, { code: auth.code as string, redirectUri, codeVerifier: verifier });
    expect(tokens.scope.split(' ')).toContain('mail');
    expect(tokens.refresh_token).toBeTruthy();

    const client = imap({ user, accessToken: tokens.access_token });
    await client.connect();
    expect(client.authenticated).toBeTruthy();
    await client.logout();
    // imapflow takes OAUTHBEARER when the server offers it (and cannot be told to use XOAUTH2): Dovecot logs which.
    expect(readFileSync(path.join(hub.dir, 'dovecot', 'dovecot.log'), 'utf8')).toContain(`Login: user=<${user}>, method=OAUTHBEARER`);
    expect(await rawImapAuth('XOAUTH2', xoauth2(user, tokens.access_token))).toMatch(/^a1 OK/);
    // SMTP: nodemailer speaks XOAUTH2 (below); OAUTHBEARER by hand, checked by the same Dovecot.
    const bearer = await rawSmtpAuth('OAUTHBEARER', oauthbearer(user, tokens.access_token));
    expect(bearer.ehloAuth.split(' ')).toEqual(expect.arrayContaining(['AUTH', 'PLAIN', 'LOGIN', 'XOAUTH2', 'OAUTHBEARER']));
    expect(bearer.reply).toMatch(/^235 /);
    expect((await rawSmtpAuth('OAUTHBEARER', oauthbearer(user, 'not-a-token'))).reply).toMatch(/^535 /);

    const id = randomUUID();
    const sent = await submission({ type: 'OAuth2', user, accessToken: tokens.access_token }).sendMail({
      from: user, to: user, subject: `oauth ${id}`, text: 'sent with a token', messageId: `<${id}@kiln.test>`,
    });
    expect(sent.accepted).toEqual([user]);
    const [local, domain] = user.split('@') as [string, string];
    const newDir = path.join(hub.dir, 'mail', domain, local, 'Maildir', 'new');
    const file = await waitFor(
      () => readdirSync(newDir, { withFileTypes: true }).find((f) => readFileSync(path.join(newDir, f.name), 'utf8').includes(id)),
      { timeoutMs: 20_000, what: 'the message in the Maildir' },
    );
    expect(readFileSync(path.join(newDir, file.name), 'utf8')).toContain(`Subject: oauth ${id}`);

    // A rotated refresh gives a new access token that works too; the old refresh token is spent.
    const next = await refreshTokens(oidc, tokens.refresh_token as string);
    expect(next.refresh_token).not.toBe(tokens.refresh_token);
    expect(await imapAccepts(user, next.access_token)).toBe(true);
    expect(await smtpAccepts(user, next.access_token)).toBe(true);
    // Replaying the spent refresh token counts as theft: the whole grant dies (so a client must coalesce refreshes).
    await expect(refreshTokens(oidc, tokens.refresh_token as string)).rejects.toMatchObject({ oauthError: 'invalid_grant' });
    expect(await imapAccepts(user, next.access_token)).toBe(false);
  });

  it('refuses wrong tokens on IMAP and SMTP: garbage, a refresh token, another user\'s token, a token without the mail scope, a password', async () => {
    const tokens = await signIn(oidc, user, idpPassword);
    const noMail = await signIn(oidc, user, idpPassword, 'openid email');
    const cases = [
      ['garbage', user, 'not-a-token'],
      ['refresh token', user, tokens.refresh_token as string],
      ['token of another user', 'alice@warm.test', tokens.access_token],
      ['no mail scope', user, noMail.access_token],
      ['password as token', 'alice@warm.test', hub.users['alice@warm.test'] as string],
    ] as const;
    // Each refusal costs ~0.5 s (Dovecot's failure timer), so the cases run side by side.
    const results = await Promise.all(
      cases.map(async ([what, login, token]) => ({
        what,
        imap: await imapAccepts(login, token),
        smtp: await smtpAccepts(login, token),
        xoauth2: (await rawImapAuth('XOAUTH2', xoauth2(login, token))).slice(0, 5),
      })),
    );
    expect(results).toEqual(cases.map(([what]) => ({ what, imap: false, smtp: false, xoauth2: 'a1 NO' })));
    expect(await imapAccepts(user, tokens.access_token)).toBe(true);
  });

  it('refuses a token once its grant is revoked, or the token itself, or it expired', async () => {
    const a = await signIn(oidc, user, idpPassword);
    expect(await imapAccepts(user, a.access_token)).toBe(true);
    expect(await revokeGrants(oidc, user)).toBeGreaterThan(0);
    expect(await imapAccepts(user, a.access_token)).toBe(false);
    expect(await smtpAccepts(user, a.access_token)).toBe(false);
    await expect(refreshTokens(oidc, a.refresh_token as string)).rejects.toMatchObject({ oauthError: 'invalid_grant' });

    const b = await signIn(oidc, user, idpPassword);
    await revokeToken(oidc, b.access_token);
    expect(await imapAccepts(user, b.access_token)).toBe(false);
    expect(await smtpAccepts(user, b.access_token)).toBe(false);

    // Expiry: a client registered with 2-second access tokens; wait until the provider says the token is gone.
    const short = await registerOidcClient(oidc, { redirect_uris: ['http://127.0.0.1/callback'], token_endpoint_auth_method: 'none', kiln_access_token_ttl: 2 });
    const { verifier, challenge } = pkcePair();
    const redirectUri = withPort('http://127.0.0.1/callback', 43_112);
    const code = (await authorize(oidc, { client: short, user, password: idpPassword, codeChallenge: challenge, redirectUri })).code as string;
    const c = await exchangeCode(oidc, { client: short, code, redirectUri, codeVerifier: verifier });
    expect(c.expires_in).toBe(2);
    expect(await imapAccepts(user, c.access_token)).toBe(true);
    await waitFor(async () => !(await introspect(c.access_token)).active, { timeoutMs: 10_000, what: 'token expiry' });
    expect(await imapAccepts(user, c.access_token)).toBe(false);
    expect(await smtpAccepts(user, c.access_token)).toBe(false);
  });

  it('an OAuth-only user has no password, and password users keep their password mechanisms', async () => {
    for (const pass of [idpPassword, 'x']) {
      await expect(imap({ user, pass }).connect()).rejects.toMatchObject({ authenticationFailed: true });
      await expect(submission({ user, pass }).verify()).rejects.toMatchObject({ responseCode: 535 });
    }
    const alice = imap({ user: 'alice@warm.test', pass: hub.users['alice@warm.test'] as string });
    await alice.connect();
    await alice.logout();
    expect(await submission({ user: 'alice@warm.test', pass: hub.users['alice@warm.test'] }).verify()).toBe(true);
  });
});

async function introspect(token: string): Promise<{ active: boolean }> {
  const { clientId, clientSecret } = oidc.clients.dovecot;
  const res = await fetch(oidc.endpoints.introspection, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}` },
    body: new URLSearchParams({ token }).toString(),
  });
  return (await res.json()) as { active: boolean };
}
