// OAuth apps from the environment, for servers configured by env files or orchestration rather
// than the UI: KILN_OAUTH_<PROVIDER>_CLIENT_ID (+ _CLIENT_SECRET, _TENANT, _ISSUER, _SCOPES).
// Each provider's env app is one app of the workspace, found again by its label on the next start
// and replaced, so restarts never add twins and the environment stays the truth.
import { oauthAppInput, oauthProviders, type OAuthAppInput, type OAuthProvider } from '../../shared/domain/oauth';
import { KilnError } from '../../shared/errors';
import type { CoreInternals } from '../core/app';
import { localCall } from './context';

const envLabel: Record<OAuthProvider, string> = {
  google: 'Google (from environment)',
  microsoft: 'Microsoft (from environment)',
  custom: 'Custom provider (from environment)',
};

const prefix = (p: OAuthProvider) => `KILN_OAUTH_${p.toUpperCase()}_`;

/** The apps the environment describes, validated like `oauthApps.set`; a bad variable names itself. */
export function oauthAppsFromEnv(env: NodeJS.ProcessEnv): OAuthAppInput[] {
  const apps: OAuthAppInput[] = [];
  for (const provider of oauthProviders) {
    const v = (name: string) => env[prefix(provider) + name]?.trim() || undefined;
    const clientId = v('CLIENT_ID');
    if (!clientId) {
      const stray = Object.keys(env).find((k) => k.startsWith(prefix(provider)) && env[k]);
      if (stray) throw new KilnError('VALIDATION_FAILED', `${stray} is set but ${prefix(provider)}CLIENT_ID is not`);
      continue;
    }
    const candidate = {
      provider,
      label: envLabel[provider],
      clientId,
      // No secret in the environment removes a stored one: the environment is the whole truth.
      clientSecret: v('CLIENT_SECRET') ?? null,
      tenant: v('TENANT'),
      issuer: v('ISSUER'),
      authorizationEndpoint: v('AUTHORIZATION_ENDPOINT'),
      tokenEndpoint: v('TOKEN_ENDPOINT'),
      scopes: v('SCOPES')?.split(/[\s,]+/).filter(Boolean),
    };
    const parsed = oauthAppInput.safeParse(candidate);
    if (!parsed.success) {
      const why = parsed.error.issues.map((i) => `${prefix(provider)}${envName(String(i.path[0] ?? ''))}: ${i.message}`).join('; ');
      throw new KilnError('VALIDATION_FAILED', `OAuth app in the environment refused: ${why}`);
    }
    apps.push(parsed.data);
  }
  return apps;
}

/** clientId → CLIENT_ID, for messages that name the variable the user set. */
const envName = (field: string) => field.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase();

/** Adds or replaces the environment's OAuth apps in a workspace (default: KILN_OAUTH_WORKSPACE or the default one). */
export async function applyOAuthEnv(core: CoreInternals, apps: OAuthAppInput[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  if (apps.length === 0) return 0;
  const workspace = env.KILN_OAUTH_WORKSPACE?.trim() || undefined;
  const existing = await localCall(core, 'oauthApps.list', {}, workspace);
  for (const app of apps) {
    const mine = existing.find((a) => a.provider === app.provider && a.label === app.label);
    await localCall(core, 'oauthApps.set', { ...app, ...(mine ? { id: mine.id } : {}) }, workspace);
  }
  return apps.length;
}
