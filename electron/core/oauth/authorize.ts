// The authorization-code flow's two ends, for the sign-in flows (desktop loopback, the server's
// callback route, the CLI) to drive: the URL the user opens, and the code exchange on return.
import * as oauth from 'oauth4webapi';
import { KilnError } from '../../../shared/errors';
import type { OAuthServer } from './servers';
import { newPkce, newState } from './pkce';
import { accountOf, grantOf, type Grant } from './grant';
import { callbackFailure, oauthFailure } from './failure';

/** What a flow keeps between building the URL and handling the callback (in memory only). */
export interface PendingAuthorization {
  url: URL;
  state: string;
  verifier: string;
  redirectUri: string;
}

export async function authorizationRequest(server: OAuthServer, o: { redirectUri: string; loginHint?: string }): Promise<PendingAuthorization> {
  if (!server.as.authorization_endpoint) throw new KilnError('OAUTH_NOT_CONFIGURED', 'The authorization server names no authorization endpoint');
  const pkce = await newPkce();
  const state = newState();
  const url = new URL(server.as.authorization_endpoint);
  const p = url.searchParams;
  p.set('response_type', 'code');
  p.set('client_id', server.client.client_id);
  p.set('redirect_uri', o.redirectUri);
  p.set('scope', server.scopes.join(' '));
  p.set('state', state);
  p.set('code_challenge', pkce.challenge);
  p.set('code_challenge_method', pkce.method);
  if (o.loginHint) p.set('login_hint', o.loginHint);
  for (const [k, v] of Object.entries(server.authorizeParams)) p.set(k, v);
  return { url, state, verifier: pkce.verifier, redirectUri: o.redirectUri };
}

/**
 * Checks the callback (state, error, code) and exchanges the code with the verifier. A wrong
 * state or an error answer is refused before any request is made.
 */
export async function exchangeCode(server: OAuthServer, pending: PendingAuthorization, callback: URL | URLSearchParams, now: number): Promise<Grant> {
  let params: URLSearchParams;
  try {
    params = oauth.validateAuthResponse(server.as, server.client, callback, pending.state);
  } catch (e) {
    throw callbackFailure(e);
  }
  if (!params.get('code')) throw new KilnError('OAUTH_CALLBACK_INVALID', 'The provider sent no authorization code back');
  try {
    const res = await oauth.authorizationCodeGrantRequest(server.as, server.client, server.clientAuth, params, pending.redirectUri, pending.verifier, server.http);
    const tokens = await oauth.processAuthorizationCodeResponse(server.as, server.client, res, { requireIdToken: false });
    return { ...grantOf(tokens, server.scopes, now), account: accountOf(tokens) };
  } catch (e) {
    throw oauthFailure(e, 'The authorization code could not be exchanged');
  }
}
