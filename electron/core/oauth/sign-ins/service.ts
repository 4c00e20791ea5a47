// OAuth sign-ins: start one (loopback, server or device flow), settle its callback, and hand its
// grant to exactly one mailbox. Codes, verifiers and tokens stay in memory and out of every answer,
// page and log line.
import type { SignIn } from '../../../../shared/domain/oauth';
import type { ParsedInput } from '../../../../shared/api/table';
import { KilnError } from '../../../../shared/errors';
import type { Clock } from '../../clock';
import type { Db } from '../../db/connection';
import type { Logger } from '../../log';
import { mailboxRepository } from '../../mailboxes/repository';
import { newId } from '../../util/ids';
import { authorizationRequest, exchangeCode } from '../authorize';
import type { Grant } from '../grant';
import type { ServerFor } from '../servers';
import type { OAuthAppService } from '../service';
import { startDevice } from './device';
import { CALLBACK_PATH, openLoopback } from './loopback';
import { refusedPage, signedInPage, type CallbackAnswer } from './page';
import { SIGN_IN_TTL_MS, signInRegistry, toSignIn, type SignInEntry } from './registry';

export interface SignInServiceNeeds {
  db: Db;
  clock: Clock;
  log: Pick<Logger, 'info' | 'warn'>;
  oauthApps: Pick<OAuthAppService, 'pick' | 'clientConfig'>;
  serverFor: ServerFor;
  /** Desktop: opens the system browser at the provider's sign-in page. */
  openBrowser?: (url: string) => Promise<void> | void;
  /** `kiln serve`'s origin as the browser reaches it (known once it listens); undefined where there is no server (desktop, CLI). */
  publicUrl: () => string | undefined;
}

/** What a mailbox takes from a completed sign-in. */
export interface TakenGrant {
  provider: SignInEntry['provider'];
  appId: string;
  refreshToken: string;
  scopes: string[];
  /** Puts the grant back when the mailbox could not be saved after all. */
  giveBack(): void;
}

const wrongState = (): CallbackAnswer & { done: false } => ({
  ...refusedPage(400, 'OAUTH_CALLBACK_INVALID', 'This answer belongs to no sign-in in progress here (wrong or missing state).'),
  done: false,
});

export function signInService(deps: SignInServiceNeeds) {
  const { clock, log } = deps;
  const reg = signInRegistry();
  const mailboxes = mailboxRepository(deps.db.kysely);
  const sweeper = setInterval(() => reg.sweep(clock.now()), 30_000);
  sweeper.unref();

  function fail(e: SignInEntry, err: KilnError): void {
    reg.settle(e, 'failed', err);
    log.warn({ signInId: e.id, flow: e.flow, code: err.code }, 'oauth sign-in failed');
  }

  function signedIn(e: SignInEntry, grant: Grant): void {
    if (!grant.refreshToken) {
      return fail(e, new KilnError('OAUTH_CALLBACK_INVALID', 'The provider granted no refresh token (offline access), so Kiln could not stay signed in'));
    }
    Object.assign(e, { status: 'signedIn', grant, account: grant.account ?? null, scopes: grant.scopes, expiresAt: clock.now() + SIGN_IN_TTL_MS });
    reg.settle(e, 'signedIn');
    log.info({ signInId: e.id, flow: e.flow, appId: e.appId }, 'oauth sign-in completed');
  }

  /** One callback for one sign-in (the loopback listener's own, or the server's found by state). */
  async function settleCallback(e: SignInEntry | undefined, params: URLSearchParams): Promise<CallbackAnswer & { done: boolean }> {
    reg.sweep(clock.now());
    // A wrong state must not fail someone else's sign-in: it is only refused.
    if (!e?.pending || params.get('state') !== e.pending.state) {
      log.warn({ signInId: e?.id }, 'oauth callback with a wrong state refused');
      return wrongState();
    }
    if (e.status !== 'waiting' || exchanging.has(e.id)) {
      // A second answer for one sign-in: someone replays the code. The grant it may hold is dropped.
      const err = new KilnError('OAUTH_CALLBACK_INVALID', 'This sign-in was already answered (a replayed callback); the grant was dropped, sign in again');
      if (e.status === 'signedIn' || e.status === 'waiting') fail(e, err);
      return { ...refusedPage(400, err.code, err.message), done: true };
    }
    exchanging.add(e.id);
    try {
      signedIn(e, await exchangeCode(e.server, e.pending, params, clock.now()));
    } catch (x) {
      const err = x instanceof KilnError ? x : new KilnError('OAUTH_CALLBACK_INVALID', 'The sign-in callback could not be handled');
      if (e.status === 'waiting') fail(e, err);
    } finally {
      exchanging.delete(e.id);
    }
    // Read again: the exchange above settled it (TS narrowed the status before the await).
    if ((e.status as SignInEntry['status']) === 'signedIn') return { ...signedInPage(e.account), done: true };
    return { ...refusedPage(e.error?.code === 'OAUTH_CALLBACK_INVALID' ? 400 : 502, e.error?.code ?? 'OAUTH_CALLBACK_INVALID', e.error?.message ?? 'Refused'), done: true };
  }
  const exchanging = new Set<string>();

  function mustGet(workspaceId: string, id: string): SignInEntry {
    reg.sweep(clock.now());
    const e = reg.get(id);
    if (!e || e.workspaceId !== workspaceId) throw new KilnError('NOT_FOUND', `No sign-in ${id} in this workspace`);
    return e;
  }

  return {
    async start(workspaceId: string, input: ParsedInput<'oauthSignIns.start'>): Promise<SignIn> {
      reg.sweep(clock.now());
      const publicUrl = deps.publicUrl();
      if (input.flow === 'server' && !publicUrl) {
        throw new KilnError('VALIDATION_FAILED', 'The server flow needs `kiln serve` (its callback route); use the loopback flow here', { fields: [{ path: 'flow', message: 'no server here' }] });
      }
      const mailbox = input.mailboxId ? await mailboxes.get(workspaceId, input.mailboxId) : null;
      if (input.mailboxId && !mailbox) throw new KilnError('NOT_FOUND', `No mailbox ${input.mailboxId} in this workspace`);
      const app = await deps.oauthApps.pick(workspaceId, input.provider, input.appId);
      const server = await deps.serverFor(await deps.oauthApps.clientConfig(app.id));
      const loginHint = input.loginHint ?? mailbox?.email;
      const e: SignInEntry = {
        id: newId('sgn'), workspaceId, provider: input.provider, appId: app.id, flow: input.flow, status: 'waiting', mailboxId: mailbox?.id ?? null,
        server, pending: null, userCode: null, verificationUri: null, browserOpened: false, account: null, scopes: [], error: null,
        expiresAt: clock.now() + SIGN_IN_TTL_MS, grant: null, release: () => {},
      };
      if (input.flow === 'device') {
        const d = await startDevice(server, loginHint);
        Object.assign(e, { userCode: d.userCode, verificationUri: d.verificationUri, release: () => d.stop() });
        e.expiresAt = Math.min(e.expiresAt, clock.now() + d.expiresIn * 1000);
        d.poll(() => clock.now()).then(
          (grant) => e.status === 'waiting' && signedIn(e, grant),
          (err: unknown) => e.status === 'waiting' && fail(e, err instanceof KilnError ? err : new KilnError('OAUTH_REFRESH_FAILED', 'The device sign-in failed')),
        );
      } else if (input.flow === 'loopback') {
        const listener = await openLoopback((params) => settleCallback(e, params));
        e.release = () => listener.close();
        e.pending = await authorizationRequest(server, { redirectUri: listener.redirectUri, loginHint }).catch((x: unknown) => {
          listener.close();
          throw x;
        });
      } else {
        e.pending = await authorizationRequest(server, { redirectUri: new URL(CALLBACK_PATH, publicUrl).href, loginHint });
      }
      reg.add(e);
      if (e.pending && input.flow === 'loopback' && deps.openBrowser) {
        try {
          await deps.openBrowser(e.pending.url.href);
          e.browserOpened = true;
        } catch {
          log.warn({ signInId: e.id }, 'could not open the system browser');
        }
      }
      log.info({ signInId: e.id, flow: e.flow, appId: app.id, workspaceId }, 'oauth sign-in started');
      return toSignIn(e);
    },

    get: async (workspaceId: string, id: string): Promise<SignIn> => toSignIn(mustGet(workspaceId, id)),

    async cancel(workspaceId: string, id: string): Promise<SignIn> {
      const e = mustGet(workspaceId, id);
      if (e.status === 'waiting' || e.status === 'signedIn') fail(e, new KilnError('OAUTH_CALLBACK_INVALID', 'The sign-in was cancelled'));
      return toSignIn(e);
    },

    /** The server's GET /oauth/callback: finds the sign-in by its state. */
    serverCallback: async (params: URLSearchParams): Promise<CallbackAnswer> => {
      const state = params.get('state');
      const e = state ? reg.byState(state) : undefined;
      return settleCallback(e?.flow === 'server' ? e : undefined, params);
    },

    /** A mailbox takes a completed sign-in's grant, once. */
    take(workspaceId: string, id: string, mailboxId: string | null): TakenGrant {
      const e = mustGet(workspaceId, id);
      if (e.status === 'used') throw new KilnError('CONFLICT', `Sign-in ${id} was already used by a mailbox; sign in again`);
      if (e.status !== 'signedIn' || !e.grant?.refreshToken) {
        throw new KilnError('VALIDATION_FAILED', `Sign-in ${id} is ${e.status}, not signed in`, { fields: [{ path: 'auth.signInId', message: `sign-in is ${e.status}` }] });
      }
      if (e.mailboxId && mailboxId && e.mailboxId !== mailboxId) {
        throw new KilnError('VALIDATION_FAILED', `Sign-in ${id} was started to reconnect another mailbox`, { fields: [{ path: 'auth.signInId', message: 'belongs to another mailbox' }] });
      }
      const grant = e.grant;
      e.grant = null;
      e.status = 'used';
      return {
        provider: e.provider, appId: e.appId, refreshToken: grant.refreshToken!, scopes: grant.scopes,
        giveBack: () => {
          if (e.status !== 'used') return;
          e.status = 'signedIn';
          e.grant = grant;
        },
      };
    },

    close(): void {
      clearInterval(sweeper);
      for (const e of reg.all()) if (e.status === 'waiting' || e.status === 'signedIn') reg.settle(e, 'expired');
    },
  };
}
export type SignInService = ReturnType<typeof signInService>;
