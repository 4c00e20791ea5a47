// The workspace's OAuth apps. Every query is scoped by workspace: another workspace's id reads as "not found".
import type { Kysely } from 'kysely';
import type { Database, OAuthAppRow } from '../db/schema';
import type { OAuthApp, OAuthProvider } from '../../../shared/domain/oauth';
import { iso } from '../util/time';
import { parseJson } from '../util/json';

export function toOAuthApp(r: OAuthAppRow): OAuthApp {
  return {
    id: r.id,
    provider: r.provider as OAuthProvider,
    label: r.label,
    clientId: r.client_id,
    hasClientSecret: r.client_secret_ref !== null,
    tenant: r.tenant,
    issuer: r.issuer,
    authorizationEndpoint: r.authorization_endpoint,
    tokenEndpoint: r.token_endpoint,
    scopes: parseJson<string[]>(r.scopes),
    createdAt: iso(r.created_at),
    updatedAt: iso(r.updated_at),
  };
}

export function oauthAppRepository(db: Kysely<Database>) {
  const scoped = (workspaceId: string) => db.selectFrom('oauth_apps').selectAll().where('workspace_id', '=', workspaceId);
  return {
    list: (workspaceId: string) => scoped(workspaceId).orderBy('created_at').orderBy('id').execute(),
    get: (workspaceId: string, id: string) => scoped(workspaceId).where('id', '=', id).executeTakeFirst(),
    byProvider: (workspaceId: string, provider: OAuthProvider) => scoped(workspaceId).where('provider', '=', provider).orderBy('created_at').execute(),
    /** Unscoped: the token manager reads the app of a mailbox it already holds. */
    byIdAnyWorkspace: (id: string) => db.selectFrom('oauth_apps').selectAll().where('id', '=', id).executeTakeFirst(),
    upsert: (row: OAuthAppRow) =>
      db
        .insertInto('oauth_apps')
        .values(row)
        .onConflict((oc) => oc.column('id').doUpdateSet({ ...row, id: undefined, workspace_id: undefined, created_at: undefined }))
        .returningAll()
        .executeTakeFirstOrThrow(),
    remove: (workspaceId: string, id: string) => db.deleteFrom('oauth_apps').where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst(),
    mailboxesUsing: (workspaceId: string, appId: string) =>
      db.selectFrom('mailboxes').select(['id', 'email']).where('workspace_id', '=', workspaceId).where('oauth_app_id', '=', appId).where('deleted_at', 'is', null).execute(),
  };
}
export type OAuthAppRepository = ReturnType<typeof oauthAppRepository>;
