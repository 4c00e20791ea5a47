// The OAuth app form as typed (strings) and its conversion to `oauthApps.set`: the secret goes only
// when one was typed (empty keeps the stored one), a tenant only for Microsoft, an issuer or the
// two endpoints only for a custom app, scopes only when some were typed (none = the defaults).
import type { Input } from '../../../../shared/api/table';
import type { OAuthApp, OAuthProvider } from '../../../../shared/domain/oauth';

export interface OAuthAppForm {
  id: string | null;
  provider: OAuthProvider;
  label: string;
  clientId: string;
  /** Write-only: empty keeps what is stored. */
  clientSecret: string;
  /** Drop the stored secret (a public client). */
  removeSecret: boolean;
  tenant: string;
  /** A custom app: discovery from its issuer, or its endpoints typed in. */
  discovery: 'issuer' | 'endpoints';
  issuer: string;
  authorizationEndpoint: string;
  tokenEndpoint: string;
  /** Space, comma or line separated; empty = the provider's defaults. */
  scopes: string;
}

export const emptyAppForm = (provider: OAuthProvider = 'google'): OAuthAppForm => ({
  id: null,
  provider,
  label: '',
  clientId: '',
  clientSecret: '',
  removeSecret: false,
  tenant: '',
  discovery: 'issuer',
  issuer: '',
  authorizationEndpoint: '',
  tokenEndpoint: '',
  scopes: '',
});

export const appFormOf = (a: OAuthApp): OAuthAppForm => ({
  ...emptyAppForm(a.provider),
  id: a.id,
  label: a.label,
  clientId: a.clientId,
  tenant: a.tenant ?? '',
  discovery: a.issuer || !a.authorizationEndpoint ? 'issuer' : 'endpoints',
  issuer: a.issuer ?? '',
  authorizationEndpoint: a.authorizationEndpoint ?? '',
  tokenEndpoint: a.tokenEndpoint ?? '',
  scopes: (a.scopes ?? []).join(' '),
});

export const scopeList = (s: string): string[] => s.split(/[\s,]+/).filter((x) => x !== '');

export function appInput(f: OAuthAppForm): Input<'oauthApps.set'> {
  const input: Input<'oauthApps.set'> = { provider: f.provider, clientId: f.clientId.trim() };
  if (f.id) input.id = f.id;
  if (f.label.trim()) input.label = f.label.trim();
  if (f.clientSecret) input.clientSecret = f.clientSecret;
  else if (f.removeSecret && f.id) input.clientSecret = null;
  if (f.provider === 'microsoft' && f.tenant.trim()) input.tenant = f.tenant.trim();
  if (f.provider === 'custom') {
    if (f.discovery === 'issuer') input.issuer = f.issuer.trim();
    else {
      input.authorizationEndpoint = f.authorizationEndpoint.trim();
      input.tokenEndpoint = f.tokenEndpoint.trim();
    }
  }
  const scopes = scopeList(f.scopes);
  if (scopes.length > 0) input.scopes = scopes;
  return input;
}

/** The redirect URIs to register with the provider: the desktop's loopback (any port) and, in a browser, this origin's. */
export function redirectUris(callbackPath: string, webOrigin: string | null): Array<{ where: string; uri: string }> {
  const list = [{ where: 'Desktop and CLI (any port on 127.0.0.1)', uri: `http://127.0.0.1${callbackPath}` }];
  if (webOrigin) list.push({ where: 'This web UI', uri: `${webOrigin}${callbackPath}` });
  return list;
}
