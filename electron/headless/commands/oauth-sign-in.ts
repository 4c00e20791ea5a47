// The CLI's side of an OAuth sign-in: start it in the core (a loopback listener, or the device
// code), print where to go, wait until the person is back, and hand over the sign-in's id. Only
// the URL or user code is printed; codes and tokens stay inside the core.
import type { OAuthProvider, SignIn } from '../../../shared/domain/oauth';
import { oauthProviders } from '../../../shared/domain/oauth';
import { errorStatus, KilnError, type ErrorCode } from '../../../shared/errors';
import type { CoreInternals } from '../../core/app';
import { localCall } from '../context';

export interface CliSignIn {
  provider: string;
  appId?: string;
  device?: boolean;
  loginHint?: string;
  mailboxId?: string;
  workspace?: string;
}

export function oauthProviderOf(name: string): OAuthProvider {
  if ((oauthProviders as readonly string[]).includes(name)) return name as OAuthProvider;
  throw new KilnError('VALIDATION_FAILED', `--oauth must be one of ${oauthProviders.join(', ')}`);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Resolves with the signed-in sign-in; throws its coded error when refused, expired or cancelled (Ctrl-C). */
export async function signInFromCli(core: CoreInternals, o: CliSignIn): Promise<SignIn> {
  const started = await localCall(
    core,
    'oauthSignIns.start',
    { provider: oauthProviderOf(o.provider), appId: o.appId, flow: o.device ? 'device' : 'loopback', loginHint: o.loginHint, mailboxId: o.mailboxId },
    o.workspace,
  );
  if (started.userCode) {
    process.stderr.write(`To sign in, open ${started.verificationUri} and enter the code ${started.userCode}\n`);
  } else {
    process.stderr.write(`To sign in, open this URL in a browser on this machine (it comes back to ${started.redirectUri}):\n`);
  }
  // The URL alone on stdout, so a script can pick it up.
  if (started.url) process.stdout.write(`${started.url}\n`);
  process.stderr.write('Waiting for the sign-in… (Ctrl-C cancels)\n');

  let interrupted = false;
  const onInt = () => (interrupted = true);
  process.once('SIGINT', onInt);
  try {
    for (;;) {
      if (interrupted) {
        await localCall(core, 'oauthSignIns.cancel', { id: started.id }, o.workspace);
        throw new KilnError('OAUTH_CALLBACK_INVALID', 'The sign-in was cancelled');
      }
      const s = await localCall(core, 'oauthSignIns.get', { id: started.id }, o.workspace);
      if (s.status === 'signedIn') return s;
      if (s.status !== 'waiting') {
        const code: ErrorCode = s.error && s.error.code in errorStatus ? (s.error.code as ErrorCode) : 'OAUTH_CALLBACK_INVALID';
        throw new KilnError(code, s.error?.message ?? `The sign-in ${s.status === 'expired' ? 'expired before anyone came back' : `ended ${s.status}`}`);
      }
      await sleep(500);
    }
  } finally {
    process.off('SIGINT', onInt);
  }
}

/** Who signed in and what was granted, and a warning when it is not the mailbox's address. */
export function describeSignIn(s: SignIn, email: string): void {
  process.stderr.write(`Signed in${s.account ? ` as ${s.account}` : ''}; scopes granted: ${s.scopes.join(' ') || '(none said)'}\n`);
  if (s.account && s.account.toLowerCase() !== email.toLowerCase()) {
    process.stderr.write(`warning: signed in as ${s.account}, not ${email}: the servers will check the token against that account\n`);
  }
}
