// The `oauth` stage of an OAuth mailbox's test: a token refreshed now through the token manager that
// sending and watching use, then the scopes it carries against what the protocol needs (the provider
// record says; a custom provider says nothing, so that part stays unknown, never good by assumption).
// The evidence names the endpoint and what it answered, never a token.
import { isKilnError } from '../../../../shared/errors';
import type { VerdictState } from '../../../../shared/domain/verdict';
import type { TokenProbe } from '../credential';
import type { FailureKind } from '../smtp-errors';
import { StageFailure } from './deadline';

interface Log {
  ask(stage: 'oauth', question: string): void;
  answer(stage: 'oauth', answer: string): void;
  qualify(stage: 'oauth', state: VerdictState, detail: string): void;
}

type Fail<F> = (code: string, message: string, kind: FailureKind) => F;

/** A failure of the token side as the stage's coded failure: transient trouble is retried, a refused grant is not. */
function asStageFailure<F>(e: unknown, fail: Fail<F>): StageFailure<F> {
  if (e instanceof StageFailure) return e as StageFailure<F>;
  if (isKilnError(e)) return new StageFailure({ ...fail(e.code, e.message, e.code === 'OAUTH_REFRESH_FAILED' ? 'transient' : 'permanent'), message: e.message });
  const message = `Getting an OAuth access token failed: ${e instanceof Error ? e.message : String(e)}`;
  return new StageFailure({ ...fail('OAUTH_REFRESH_FAILED', message, 'transient'), message });
}

const listed = (scopes: readonly string[]): string => (scopes.length ? scopes.join(' ') : '(none)');

/** Runs the stage; resolves the access token the `auth` stage signs in with. */
export async function askOAuth<F>(log: Log, probe: TokenProbe, protocol: 'smtp' | 'imap', now: () => number, fail: Fail<F>): Promise<string> {
  const name = protocol.toUpperCase();
  try {
    log.ask('oauth', "the OAuth app's token endpoint");
    const { endpoint, required } = await probe.describe();
    log.ask('oauth', `refresh_token grant at ${endpoint}`);
    const t = await probe.token();
    log.answer('oauth', `token issued, expires in ${Math.max(0, Math.round((t.expiresAt - now()) / 1000))} s`);

    if (required === null) {
      log.ask('oauth', `scopes granted, against what ${name} needs`);
      log.answer('oauth', `granted: ${listed(t.scopes)}; a custom provider publishes no scope ${name} needs, so none was checked`);
      log.qualify('oauth', 'unknown', `A token was issued. Whether it carries what ${name} needs is unknown: a custom provider publishes no requirement (the auth stage tells).`);
      return t.accessToken;
    }
    log.ask('oauth', `scopes granted, against what ${name} needs (${required.join(' ')})`);
    const missing = required.filter((s) => !t.scopes.includes(s));
    if (missing.length > 0) {
      const message = `The sign-in did not grant the scope ${name} needs: ${missing.join(' ')} (granted: ${listed(t.scopes)}). Sign in again and consent to it`;
      throw new StageFailure({ ...fail('OAUTH_SCOPE_MISSING', message, 'permanent'), message });
    }
    log.answer('oauth', `granted: ${listed(t.scopes)}`);
    return t.accessToken;
  } catch (e) {
    throw asStageFailure(e, fail);
  }
}
