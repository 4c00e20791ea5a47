// The pure parts of an OAuth sign-in as the UI runs it: which flow this page uses, polling until
// the sign-in ends, and what the answer means for the form (account vs the typed address).
import type { OAuthApp, OAuthProvider, SignIn, SignInFlow, SignInStatus } from '../../../shared/domain/oauth';

/** The desktop signs in through a loopback listener (and opens the system browser); a browser page through `kiln serve`'s callback. */
export const flowFor = (transport: 'ipc' | 'http'): SignInFlow => (transport === 'ipc' ? 'loopback' : 'server');

/** Every status but `waiting` is final: polling stops there. */
export const isFinal = (s: SignInStatus): boolean => s !== 'waiting';

export interface PollOptions {
  get: (id: string) => Promise<SignIn>;
  /** Resolves after `ms` (a timer in the UI, immediate in tests). */
  wait: (ms: number) => Promise<void>;
  /** True once the dialog closed or another sign-in began: the loop ends without another request. */
  stopped: () => boolean;
  onUpdate: (s: SignIn) => void;
  intervalMs?: number;
}

/** Asks about once a second until the sign-in is final or the caller stops; answers the last state seen (null when stopped). */
export async function pollSignIn(first: SignIn, o: PollOptions): Promise<SignIn | null> {
  let now = first;
  while (!isFinal(now.status)) {
    await o.wait(o.intervalMs ?? 1000);
    if (o.stopped()) return null;
    now = await o.get(now.id);
    if (o.stopped()) return null;
    o.onUpdate(now);
  }
  return now;
}

/** The account signed in differs from the address typed (case aside): the mailbox would send as someone else. */
export function accountDiffers(account: string | null, typed: string): boolean {
  const t = typed.trim().toLowerCase();
  return account !== null && t !== '' && account.trim().toLowerCase() !== t;
}

/** The grant is gone or its refreshes keep failing: the mailbox needs its owner to sign in again. */
export const needsReconnect = (lastError: { code: string } | null | undefined): boolean => lastError?.code === 'OAUTH_REVOKED' || lastError?.code === 'OAUTH_REFRESH_FAILED';

/** Which apps can sign in for a provider: none (say so and link to Settings), one (use it) or several (the user picks). */
export const appsOf = (apps: OAuthApp[], provider: OAuthProvider): OAuthApp[] => apps.filter((a) => a.provider === provider);

/** The typed address as a login hint, when it looks like one (the core refuses anything else). */
export function loginHint(email: string): string | undefined {
  const e = email.trim();
  return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(e) ? e : undefined;
}
