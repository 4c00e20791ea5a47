// Sign-ins in progress, in memory only: what a flow keeps between starting and a mailbox taking
// its grant. Nothing here is ever written to the database or a log.
import type { OAuthProvider, SignIn, SignInFlow, SignInStatus } from '../../../../shared/domain/oauth';
import type { KilnError } from '../../../../shared/errors';
import { iso } from '../../util/time';
import type { PendingAuthorization } from '../authorize';
import type { Grant } from '../grant';
import type { OAuthServer } from '../servers';

/** How long a person has to sign in; also how long a grant waits for a mailbox to take it. */
export const SIGN_IN_TTL_MS = 10 * 60_000;

export interface SignInEntry {
  id: string;
  workspaceId: string;
  provider: OAuthProvider;
  appId: string;
  flow: SignInFlow;
  status: SignInStatus;
  mailboxId: string | null;
  server: OAuthServer;
  pending: PendingAuthorization | null;
  userCode: string | null;
  verificationUri: string | null;
  browserOpened: boolean;
  account: string | null;
  scopes: string[];
  error: { code: string; message: string } | null;
  expiresAt: number;
  /** Held until a mailbox takes it (once) or the sign-in ends. */
  grant: Grant | null;
  /** Closes what the flow holds open (the loopback listener, the device poll). */
  release: () => void;
}

export function toSignIn(e: SignInEntry): SignIn {
  return {
    id: e.id,
    provider: e.provider,
    appId: e.appId,
    flow: e.flow,
    status: e.status,
    mailboxId: e.mailboxId,
    url: e.pending?.url.href ?? null,
    redirectUri: e.pending?.redirectUri ?? null,
    userCode: e.userCode,
    verificationUri: e.verificationUri,
    browserOpened: e.browserOpened,
    account: e.account,
    scopes: e.scopes,
    error: e.error,
    expiresAt: iso(e.expiresAt),
  };
}

export function signInRegistry() {
  const byId = new Map<string, SignInEntry>();
  const byState = new Map<string, string>();

  /** Ends a sign-in: its listener or poll stops and any grant it held is dropped. */
  function settle(e: SignInEntry, status: SignInStatus, error?: KilnError): void {
    e.status = status;
    if (error) e.error = { code: error.code, message: error.message };
    if (status !== 'signedIn') e.grant = null;
    // The state stays known while the sign-in is: a replayed callback must find what it replays.
    e.release();
  }

  return {
    add(e: SignInEntry): void {
      byId.set(e.id, e);
      if (e.pending) byState.set(e.pending.state, e.id);
    },
    get: (id: string): SignInEntry | undefined => byId.get(id),
    byState: (state: string): SignInEntry | undefined => {
      const id = byState.get(state);
      return id ? byId.get(id) : undefined;
    },
    settle,
    /** Waiting sign-ins nobody finished in time expire; held grants nobody took are dropped; old ones are forgotten. */
    sweep(now: number): void {
      for (const e of byId.values()) {
        if (e.expiresAt > now) continue;
        if (e.status === 'waiting' || e.status === 'signedIn') settle(e, 'expired');
        // Kept one more TTL so a late `get` still says how it ended.
        if (e.expiresAt + SIGN_IN_TTL_MS <= now) {
          byId.delete(e.id);
          if (e.pending) byState.delete(e.pending.state);
        }
      }
    },
    all: (): SignInEntry[] => [...byId.values()],
  };
}
export type SignInRegistry = ReturnType<typeof signInRegistry>;
