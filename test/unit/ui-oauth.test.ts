// The renderer's OAuth logic without a browser: the OAuth app form's API input, the sign-in poll
// loop, when a mailbox needs Reconnect, the oauth connection stage, and the shared default scopes
// kept equal to the provider records the core signs in with.
import { describe, expect, it } from 'vitest';
import { appInput, emptyAppForm, redirectUris } from '../../renderer/src/features/settings/oauth-app-form';
import { accountDiffers, flowFor, loginHint, needsReconnect, pollSignIn } from '../../renderer/src/lib/sign-in';
import { liveStages, unplacedFailure } from '../../renderer/src/features/mailboxes/stages';
import { createInput, emptyForm } from '../../renderer/src/lib/mailbox-form';
import { oauthAppInput, type SignIn } from '../../shared/domain/oauth';

const signIn = (status: SignIn['status']): SignIn => ({
  id: 'si_1', provider: 'custom', appId: 'oap_1', flow: 'server', status, mailboxId: null, url: 'http://127.0.0.1/a', redirectUri: null,
  userCode: null, verificationUri: null, browserOpened: false, account: null, scopes: [], error: null, expiresAt: '2030-01-01T00:00:00Z',
});

describe('OAuth app form', () => {
  it('sends a typed secret, keeps the stored one when empty, and only the custom server fields of the chosen kind', () => {
    const f = { ...emptyAppForm('custom'), clientId: ' kiln ', clientSecret: 's3cret', issuer: 'http://127.0.0.1:9/', scopes: 'openid, offline_access  email' };
    expect(appInput(f)).toEqual({ provider: 'custom', clientId: 'kiln', clientSecret: 's3cret', issuer: 'http://127.0.0.1:9/', scopes: ['openid', 'offline_access', 'email'] });
    const kept = appInput({ ...f, id: 'oap_1', clientSecret: '', discovery: 'endpoints', authorizationEndpoint: 'http://127.0.0.1:9/auth', tokenEndpoint: 'http://127.0.0.1:9/token', scopes: '' });
    expect(kept).toEqual({ id: 'oap_1', provider: 'custom', clientId: 'kiln', authorizationEndpoint: 'http://127.0.0.1:9/auth', tokenEndpoint: 'http://127.0.0.1:9/token' });
    expect('clientSecret' in kept).toBe(false);
    expect(oauthAppInput.safeParse(kept).success).toBe(true);
    expect(appInput({ ...f, id: 'oap_1', clientSecret: '', removeSecret: true }).clientSecret).toBeNull();
  });

  it('sends a tenant only for Microsoft', () => {
    expect(appInput({ ...emptyAppForm('microsoft'), clientId: 'c', tenant: 'contoso.com' }).tenant).toBe('contoso.com');
    expect(appInput({ ...emptyAppForm('google'), clientId: 'c', tenant: 'contoso.com' }).tenant).toBeUndefined();
  });

  it('lists the loopback redirect URI, and this origin\'s in a browser', () => {
    expect(redirectUris('/oauth/callback', null).map((r) => r.uri)).toEqual(['http://127.0.0.1/oauth/callback']);
    expect(redirectUris('/oauth/callback', 'http://127.0.0.1:4242').map((r) => r.uri)).toEqual(['http://127.0.0.1/oauth/callback', 'http://127.0.0.1:4242/oauth/callback']);
  });

});

describe('sign-in in the UI', () => {
  it('uses the loopback flow in the desktop and the server flow in a browser', () => {
    expect(flowFor('ipc')).toBe('loopback');
    expect(flowFor('http')).toBe('server');
  });

  it('polls until a final status and reports each answer', async () => {
    const answers = [signIn('waiting'), signIn('waiting'), signIn('signedIn')];
    const seen: string[] = [];
    const last = await pollSignIn(signIn('waiting'), { get: async () => answers.shift()!, wait: async () => undefined, stopped: () => false, onUpdate: (s) => seen.push(s.status) });
    expect(seen).toEqual(['waiting', 'waiting', 'signedIn']);
    expect(last?.status).toBe('signedIn');
  });

  it('stops without another request once the dialog closed', async () => {
    let asked = 0;
    let closed = false;
    const last = await pollSignIn(signIn('waiting'), { get: async () => (asked++, signIn('waiting')), wait: async () => void (closed = asked >= 2), stopped: () => closed, onUpdate: () => undefined });
    expect(last).toBeNull();
    expect(asked).toBe(2);
  });

  it('does not poll a sign-in that already ended', async () => {
    const last = await pollSignIn(signIn('failed'), { get: async () => { throw new Error('asked'); }, wait: async () => undefined, stopped: () => false, onUpdate: () => undefined });
    expect(last?.status).toBe('failed');
  });

  it('warns when the account is not the address typed, and hints only an address', () => {
    expect(accountDiffers('Ana@Example.test', 'ana@example.test ')).toBe(false);
    expect(accountDiffers('bea@example.test', 'ana@example.test')).toBe(true);
    expect(accountDiffers('bea@example.test', '')).toBe(false);
    expect(loginHint('ana@example.test')).toBe('ana@example.test');
    expect(loginHint('ana@')).toBeUndefined();
  });

  it('offers Reconnect for a revoked grant or failing refreshes only', () => {
    expect(needsReconnect({ code: 'OAUTH_REVOKED' })).toBe(true);
    expect(needsReconnect({ code: 'OAUTH_REFRESH_FAILED' })).toBe(true);
    expect(needsReconnect({ code: 'AUTH_FAILED' })).toBe(false);
    expect(needsReconnect(null)).toBe(false);
  });

  it('creates an OAuth mailbox with the sign-in and no passwords', () => {
    const f = { ...emptyForm('UTC'), email: 'ana@example.test', signInWith: 'custom' as const, smtp: { host: 'h', port: '587', security: 'starttls' as const, user: '', password: '' } };
    const input = createInput(f, 'si_1');
    expect(input.auth).toEqual({ kind: 'oauth2', signInId: 'si_1' });
    expect('password' in input.smtp).toBe(false);
    expect('password' in (input.imap ?? {})).toBe(false);
    expect(createInput({ ...f, signInWith: null }).smtp.password).toBe('');
  });

  it('draws an oauth stage first for an OAuth mailbox or when the test reports one', () => {
    expect(liveStages(['dns', 'auth'], true, undefined)).toEqual(['oauth', 'dns', 'auth']);
    expect(liveStages(['dns', 'auth'], false, { running: 'oauth', passed: [] })).toEqual(['oauth', 'dns', 'auth']);
    expect(liveStages(['dns', 'auth'], false, { running: 'dns', passed: [] })).toEqual(['dns', 'auth']);
    expect(unplacedFailure({ ok: false, stage: 'oauth', stages: [{ stage: 'oauth' }] })).toBe(false);
    expect(unplacedFailure({ ok: false, stage: 'timeout', stages: [{ stage: 'dns' }] })).toBe(true);
  });
});
