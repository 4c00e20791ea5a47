// OAuth failures as coded errors. Only the server's error code and description go into a message,
// never a request or response body: those carry codes and tokens.
import * as oauth from 'oauth4webapi';
import { KilnError, type ErrorCode } from '../../../shared/errors';

const describe = (error: string, description: unknown): string =>
  typeof description === 'string' && description ? `${error}: ${description.slice(0, 300)}` : error;

/**
 * A token request's failure. `invalid_grant` means the grant is gone (revoked, expired, password
 * changed) and takes `revoked` as its code (OAUTH_REVOKED on refresh, OAUTH_CALLBACK_INVALID for a
 * used or foreign code); anything else is transient (OAUTH_REFRESH_FAILED).
 */
export function oauthFailure(e: unknown, what: string, revoked: ErrorCode = 'OAUTH_CALLBACK_INVALID'): KilnError {
  if (e instanceof KilnError) return e;
  if (e instanceof oauth.ResponseBodyError) {
    const code = e.error === 'invalid_grant' ? revoked : 'OAUTH_REFRESH_FAILED';
    return new KilnError(code, `${what}: ${describe(e.error, e.error_description)} (HTTP ${e.status})`, { error: e.error, status: e.status });
  }
  return new KilnError('OAUTH_REFRESH_FAILED', `${what}: ${e instanceof Error ? e.message : String(e)}`);
}

/** A callback that cannot be accepted (provider error such as access_denied, wrong or missing state, no code). */
export function callbackFailure(e: unknown): KilnError {
  if (e instanceof oauth.AuthorizationResponseError) {
    return new KilnError('OAUTH_CALLBACK_INVALID', `The provider refused the sign-in: ${describe(e.error, e.error_description)}`, { error: e.error });
  }
  return new KilnError('OAUTH_CALLBACK_INVALID', `The sign-in callback was refused: ${e instanceof Error ? e.message : String(e)}`);
}
