// How a mailbox signs in, as columns: a password (the secrets at smtp/imap_secret_ref) or OAuth2
// (the refresh token at oauth_secret_ref, for one of the workspace's OAuth apps).
import type { z } from 'zod';
import type { mailboxAuthInput } from '../../../shared/api/methods/mailboxes';
import type { MailboxesTable } from '../db/schema';
import type { SecretStore } from '../secrets/secret-store';
import type { OAuthAppService } from '../oauth/service';
import { mailboxRefreshTokenRef } from '../oauth/service';
import { parseJson } from '../util/json';

type AuthColumns = Pick<MailboxesTable, 'oauth_provider' | 'oauth_app_id' | 'oauth_secret_ref' | 'oauth_scopes'> & { auth_kind: string };

/** The alert a revoked grant raises, resolved when the mailbox signs in again. */
export const signInRevokedKey = (mailboxId: string): string => `oauth-revoked:${mailboxId}`;

/** Stores an OAuth refresh token (before the row points at it) and returns the columns to write. */
export async function authColumns(
  deps: { secrets: SecretStore; oauthApps: Pick<OAuthAppService, 'pick'> },
  workspaceId: string,
  mailboxId: string,
  auth: z.output<typeof mailboxAuthInput> | undefined,
): Promise<AuthColumns> {
  if (!auth || auth.kind === 'password') return { auth_kind: 'password', oauth_provider: null, oauth_app_id: null, oauth_secret_ref: null, oauth_scopes: null };
  const app = await deps.oauthApps.pick(workspaceId, auth.provider, auth.appId);
  const ref = mailboxRefreshTokenRef(mailboxId);
  await deps.secrets.set(ref, auth.refreshToken);
  const scopes = auth.scopes ?? parseJson<string[]>(app.scopes) ?? [];
  return { auth_kind: 'oauth2', oauth_provider: auth.provider, oauth_app_id: app.id, oauth_secret_ref: ref, oauth_scopes: JSON.stringify(scopes) };
}
