// The credential a mailbox connects with: its password from the secret store, or an access token
// from the token manager. A failed refresh is told to the mailboxes feature on the bus
// (`mailbox.oauthFailed`), whichever protocol saw it: revoked → error and an alert; transient → shown.
import { isKilnError } from '../../../shared/errors';
import type { MailboxRow } from '../db/schema';
import type { EventBus } from '../events/bus';
import type { MailCredential, TokenProbe } from '../mail/credential';
import type { OAuthAppService } from './service';
import type { TokenManager, TokenSubject } from './tokens';
import { requiredScopes } from './servers';

export interface CredentialNeeds {
  secretOf(ref: string): Promise<string>;
  tokens: TokenManager;
  apps: Pick<OAuthAppService, 'clientConfig'>;
  bus: EventBus;
}

const subjectOf = (row: MailboxRow, apps: CredentialNeeds['apps']): TokenSubject => ({
  mailboxId: row.id,
  refreshRef: row.oauth_secret_ref ?? '',
  config: () => apps.clientConfig(row.oauth_app_id ?? ''),
});

/** A refresh that failed for the grant's sake is the mailboxes feature's to record (error, alert), whoever asked. */
function told(deps: CredentialNeeds, row: MailboxRow, protocol: 'smtp' | 'imap', e: unknown): unknown {
  if (isKilnError(e) && (e.code === 'OAUTH_REVOKED' || e.code === 'OAUTH_REFRESH_FAILED')) {
    deps.bus.tell('mailbox.oauthFailed', { mailbox: row, protocol, code: e.code, message: e.message });
  }
  return e;
}

/**
 * The connection test's view of an OAuth mailbox: the same token manager as sending and watching,
 * asked to refresh now (`renew`), so the test proves the grant still works and says what it grants.
 */
export function tokenProbes(deps: CredentialNeeds) {
  return function tokenProbeOf(row: MailboxRow, protocol: 'smtp' | 'imap'): TokenProbe {
    const subject = subjectOf(row, deps.apps);
    return {
      async describe() {
        const config = await subject.config();
        return { endpoint: await deps.tokens.tokenEndpoint(subject), required: requiredScopes(config.provider, protocol) };
      },
      async token() {
        try {
          return await deps.tokens.accessToken(subject, { renew: true });
        } catch (e) {
          throw told(deps, row, protocol, e);
        }
      },
    };
  };
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
    const subject = subjectOf(row, deps.apps);
    const token = async (renew: boolean): Promise<string> => {
      try {
        return (await deps.tokens.accessToken(subject, { renew })).accessToken;
      } catch (e) {
        throw told(deps, row, protocol, e);
      }
    };
    return { kind: 'oauth2', accessToken: await token(false), token };
  };
}
export type MailCredentials = ReturnType<typeof mailCredentials>;
