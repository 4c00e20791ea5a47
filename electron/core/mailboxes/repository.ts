import type { Kysely } from 'kysely';
import type { Database, MailboxRow, MailboxUpdate, NewMailboxRow } from '../db/schema';
import type { Mailbox, MailboxError, MailboxStatus, Provider, Security } from '../../../shared/domain/mailbox';
import type { MailboxAuth, OAuthProvider } from '../../../shared/domain/oauth';
import { iso } from '../util/time';
import { parseJson } from '../util/json';

export function toMailbox(r: MailboxRow): Mailbox {
  return {
    id: r.id,
    workspaceId: r.workspace_id,
    email: r.email,
    displayName: r.display_name,
    provider: r.provider as Provider,
    smtp: { host: r.smtp_host, port: r.smtp_port, security: r.smtp_security as Security, user: r.smtp_user },
    imap:
      r.imap_host != null && r.imap_port != null && r.imap_security != null && r.imap_user != null
        ? { host: r.imap_host, port: r.imap_port, security: r.imap_security as Security, user: r.imap_user }
        : null,
    status: r.status as MailboxStatus,
    lastError: parseJson<MailboxError>(r.last_error),
    timeZone: r.time_zone,
    dailyLimit: r.daily_limit,
    allowInsecure: r.allow_insecure === 1,
    auth: authOf(r),
    createdAt: iso(r.created_at),
    updatedAt: iso(r.updated_at),
  };
}

function authOf(r: MailboxRow): MailboxAuth {
  if (r.auth_kind !== 'oauth2') return { kind: 'password' };
  return { kind: 'oauth2', provider: r.oauth_provider as OAuthProvider, appId: r.oauth_app_id ?? '', scopes: parseJson<string[]>(r.oauth_scopes) ?? [] };
}

/** Every query is scoped by workspace: an id from another workspace reads as "not found". */
export function mailboxRepository(db: Kysely<Database>) {
  const live = (workspaceId: string) =>
    db.selectFrom('mailboxes').selectAll().where('workspace_id', '=', workspaceId).where('deleted_at', 'is', null);
  return {
    get: (workspaceId: string, id: string) => live(workspaceId).where('id', '=', id).executeTakeFirst(),
    byEmail: (workspaceId: string, email: string) => live(workspaceId).where('email', '=', email).executeTakeFirst(),
    list: (workspaceId: string, status?: MailboxStatus) => {
      let q = live(workspaceId);
      if (status) q = q.where('status', '=', status);
      return q.orderBy('created_at').orderBy('id').execute();
    },
    /** Unscoped read for the dispatcher, which works across workspaces. */
    byIdAnyWorkspace: (id: string) => db.selectFrom('mailboxes').selectAll().where('id', '=', id).executeTakeFirst(),
    insert: (row: NewMailboxRow) => db.insertInto('mailboxes').values(row).returningAll().executeTakeFirstOrThrow(),
    update: (workspaceId: string, id: string, patch: MailboxUpdate) =>
      db
        .updateTable('mailboxes')
        .set(patch)
        .where('workspace_id', '=', workspaceId)
        .where('id', '=', id)
        .where('deleted_at', 'is', null)
        .returningAll()
        .executeTakeFirst(),
  };
}
export type MailboxRepository = ReturnType<typeof mailboxRepository>;
