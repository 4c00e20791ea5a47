// OAuth apps per workspace (the user's own registrations: Kiln ships no client secrets), and the
// client configuration the token machinery reads for a mailbox.
import type { OAuthApp, OAuthAppInput, OAuthProvider } from '../../../shared/domain/oauth';
import { KilnError } from '../../../shared/errors';
import type { Clock } from '../clock';
import type { Db } from '../db/connection';
import type { OAuthAppRow } from '../db/schema';
import type { Logger } from '../log';
import type { SecretStore } from '../secrets/secret-store';
import { newId } from '../util/ids';
import { oauthAppRepository, toOAuthApp } from './repository';
import type { OAuthClientConfig } from './servers';

export interface OAuthAppServiceNeeds {
  db: Db;
  clock: Clock;
  secrets: SecretStore;
  log: Logger;
}

/** The one place that spells an OAuth secret's ref. */
export const oauthAppSecretRef = (appId: string): string => `oauth-app/${appId}/client-secret`;
/**
 * One ref per grant: a rotated refresh token overwrites it, a new sign-in gets a new one. So the ref
 * itself says "same grant or not" (the watcher reconnects on a new sign-in, never on a rotation).
 */
export const mailboxRefreshTokenRef = (mailboxId: string, grant: string): string => `mailbox/${mailboxId}/oauth-refresh/${grant}`;

const defaultLabels: Record<OAuthProvider, string> = { google: 'Google', microsoft: 'Microsoft', custom: 'Custom provider' };

export function oauthAppService(deps: OAuthAppServiceNeeds) {
  const repo = oauthAppRepository(deps.db.kysely);
  const { clock, secrets } = deps;

  async function mustGet(workspaceId: string, id: string): Promise<OAuthAppRow> {
    const row = await repo.get(workspaceId, id);
    if (!row) throw new KilnError('NOT_FOUND', `No OAuth app ${id} in this workspace`);
    return row;
  }

  return {
    list: async (workspaceId: string): Promise<OAuthApp[]> => (await repo.list(workspaceId)).map(toOAuthApp),

    async set(workspaceId: string, input: OAuthAppInput): Promise<OAuthApp> {
      const existing = input.id ? await mustGet(workspaceId, input.id) : null;
      if (existing && existing.provider !== input.provider) {
        throw new KilnError('CONFLICT', `OAuth app ${existing.id} is a ${existing.provider} app; add a new one for ${input.provider}`);
      }
      const id = existing?.id ?? newId('oap');
      const ref = oauthAppSecretRef(id);
      // Secret first: a row never points at a secret that was not stored.
      if (input.clientSecret) await secrets.set(ref, input.clientSecret);
      if (input.clientSecret === null) await secrets.delete(ref);
      const keepSecret = input.clientSecret === undefined && existing?.client_secret_ref != null;
      const now = clock.now();
      const row = await repo.upsert({
        id,
        workspace_id: workspaceId,
        provider: input.provider,
        label: input.label || existing?.label || defaultLabels[input.provider],
        client_id: input.clientId,
        client_secret_ref: input.clientSecret || keepSecret ? ref : null,
        tenant: input.tenant ?? null,
        issuer: input.issuer ?? null,
        authorization_endpoint: input.authorizationEndpoint ?? null,
        token_endpoint: input.tokenEndpoint ?? null,
        scopes: input.scopes ? JSON.stringify(input.scopes) : null,
        created_at: existing?.created_at ?? now,
        updated_at: now,
      });
      deps.log.info({ workspaceId, appId: id, provider: input.provider }, existing ? 'oauth app updated' : 'oauth app added');
      return toOAuthApp(row);
    },

    async remove(workspaceId: string, id: string): Promise<{ id: string; deleted: true }> {
      const row = await mustGet(workspaceId, id);
      const users = await repo.mailboxesUsing(workspaceId, id);
      if (users.length > 0) {
        throw new KilnError('CONFLICT', `OAuth app ${id} is used by ${users.map((m) => m.email).join(', ')}`, { mailboxIds: users.map((m) => m.id) });
      }
      await repo.remove(workspaceId, id);
      if (row.client_secret_ref) await secrets.delete(row.client_secret_ref);
      return { id, deleted: true };
    },

    /** The app a new OAuth mailbox uses: the named one, or the workspace's only app of that provider. */
    async pick(workspaceId: string, provider: OAuthProvider, appId?: string): Promise<OAuthAppRow> {
      if (appId) {
        const row = await mustGet(workspaceId, appId);
        if (row.provider !== provider) throw new KilnError('VALIDATION_FAILED', `OAuth app ${appId} is a ${row.provider} app, not ${provider}`, { fields: [{ path: 'auth.appId', message: `not a ${provider} app` }] });
        return row;
      }
      const rows = await repo.byProvider(workspaceId, provider);
      if (rows.length === 0) throw new KilnError('OAUTH_NOT_CONFIGURED', `No ${defaultLabels[provider]} OAuth app is set up in this workspace (oauthApps.set)`);
      if (rows.length > 1) throw new KilnError('VALIDATION_FAILED', `This workspace has several ${provider} OAuth apps: name one (auth.appId)`, { fields: [{ path: 'auth.appId', message: 'required' }] });
      return rows[0]!;
    },

    /** An app with its secret, for a token request; read when a refresh is due, held in memory only. */
    async clientConfig(appId: string): Promise<OAuthClientConfig> {
      const row = await repo.byIdAnyWorkspace(appId);
      if (!row) throw new KilnError('OAUTH_NOT_CONFIGURED', `The OAuth app ${appId} of this mailbox was removed`);
      const app = toOAuthApp(row);
      return {
        provider: app.provider,
        clientId: app.clientId,
        clientSecret: row.client_secret_ref ? await secrets.get(row.client_secret_ref) : null,
        tenant: app.tenant,
        issuer: app.issuer,
        authorizationEndpoint: app.authorizationEndpoint,
        tokenEndpoint: app.tokenEndpoint,
        scopes: app.scopes,
      };
    },
  };
}
export type OAuthAppService = ReturnType<typeof oauthAppService>;
