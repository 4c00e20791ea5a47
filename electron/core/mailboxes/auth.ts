// How a mailbox signs in, as columns: a password (the secrets at smtp/imap_secret_ref) or OAuth2
// (the refresh token at oauth_secret_ref, for one of the workspace's OAuth apps), from a refresh
// token given directly or from a completed sign-in's grant.
import type { z } from 'zod';
import type { mailboxAuthInput } from '../../../shared/api/methods/mailboxes';
import type { MailboxesTable } from '../db/schema';
import type { SecretStore } from '../secrets/secret-store';
import type { OAuthAppService } from '../oauth/service';
import type { SignInService } from '../oauth/sign-ins/service';
import { mailboxRefreshTokenRef } from '../oauth/service';
import { newRef } from '../util/ids';
import { parseJson } from '../util/json';

type AuthColumns = Pick<MailboxesTable, 'oauth_provider' | 'oauth_app_id' | 'oauth_secret_ref' | 'oauth_scopes'> & { auth_kind: string };

/** The alert a revoked grant raises, resolved when the mailbox signs in again. */
export const signInRevokedKey = (mailboxId: string): string => `oauth-revoked:${mailboxId}`;

export interface AuthNeeds {
  secrets: SecretStore;
  oauthApps: Pick<OAuthAppService, 'pick'>;
  signIns: Pick<SignInService, 'take'>;
}

/** Columns to write, and the refresh token to store first (nothing is stored until `store`). */
export interface PlannedAuth {
  columns: AuthColumns;
  /** Stores the refresh token; call once the whole change is validated, before the row points at it. */
  store(): Promise<void>;
  /** The change was not saved: a sign-in's grant goes back to it. */
  undo(): void;
}

const passwordColumns: AuthColumns = { auth_kind: 'password', oauth_provider: null, oauth_app_id: null, oauth_secret_ref: null, oauth_scopes: null };

export async function planAuth(deps: AuthNeeds, workspaceId: string, mailboxId: string, auth: z.output<typeof mailboxAuthInput> | undefined, reconnect: boolean): Promise<PlannedAuth> {
  if (!auth || auth.kind === 'password') return { columns: passwordColumns, store: async () => {}, undo: () => {} };
  const ref = mailboxRefreshTokenRef(mailboxId, newRef().slice(0, 12));
  if (auth.signInId) {
    const taken = deps.signIns.take(workspaceId, auth.signInId, reconnect ? mailboxId : null);
    return {
      columns: { auth_kind: 'oauth2', oauth_provider: taken.provider, oauth_app_id: taken.appId, oauth_secret_ref: ref, oauth_scopes: JSON.stringify(taken.scopes) },
      store: () => deps.secrets.set(ref, taken.refreshToken),
      undo: () => taken.giveBack(),
    };
  }
  // The schema guarantees provider and refreshToken when there is no signInId.
  const app = await deps.oauthApps.pick(workspaceId, auth.provider!, auth.appId);
  const scopes = auth.scopes ?? parseJson<string[]>(app.scopes) ?? [];
  const refreshToken = auth.refreshToken!;
  return {
    columns: { auth_kind: 'oauth2', oauth_provider: auth.provider!, oauth_app_id: app.id, oauth_secret_ref: ref, oauth_scopes: JSON.stringify(scopes) },
    store: () => deps.secrets.set(ref, refreshToken),
    undo: () => {},
  };
}
