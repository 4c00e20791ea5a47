// The credential a mailbox connects with: its password from the secret store, or an access token
// from the token manager. A failed refresh is told to the mailboxes feature on the bus
// (`mailbox.oauthFailed`), whichever protocol saw it: revoked → error and an alert; transient → shown.
import { isKilnError } from '../../../shared/errors';
import type { MailboxRow } from '../db/schema';
import type { EventBus } from '../events/bus';
import type { MailCredential } from '../mail/credential';
import type { OAuthAppService } from './service';
import type { TokenManager, TokenSubject } from './tokens';

export interface CredentialNeeds {
  secretOf(ref: string): Promise<string>;
  tokens: TokenManager;
  apps: Pick<OAuthAppService, 'clientConfig'>;
  bus: EventBus;
}

export function mailCredentials(deps: CredentialNeeds) {
  // New settings or a new sign-in: the next connection starts from the secret store, not an old token.
  deps.bus.on('mailbox.sendingChanged', ({ mailboxId, change }) => {
    if (change === 'settings' || change === 'deleted') deps.tokens.forget(mailboxId);
  });
  return async function credentialOf(row: MailboxRow, protocol: 'smtp' | 'imap'): Promise<MailCredential> {
    if (row.auth_kind !== 'oauth2') {
      const ref = protocol === 'smtp' ? row.smtp_secret_ref : row.imap_secret_ref!;
      return { kind: 'password', password: await deps.secretOf(ref) };
    }
    const subject: TokenSubject = {
      mailboxId: row.id,
      refreshRef: row.oauth_secret_ref ?? '',
      config: () => deps.apps.clientConfig(row.oauth_app_id ?? ''),
    };
    const token = async (renew: boolean): Promise<string> => {
      try {
        return (await deps.tokens.accessToken(subject, { renew })).accessToken;
      } catch (e) {
        if (isKilnError(e) && (e.code === 'OAUTH_REVOKED' || e.code === 'OAUTH_REFRESH_FAILED')) {
          deps.bus.tell('mailbox.oauthFailed', { mailbox: row, protocol, code: e.code, message: e.message });
        }
        throw e;
      }
    };
    return { kind: 'oauth2', accessToken: await token(false), token };
  };
}
export type MailCredentials = ReturnType<typeof mailCredentials>;
