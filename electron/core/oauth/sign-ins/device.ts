// The device authorization grant (RFC 8628) for a CLI without a browser: the person enters a short
// code at the provider's page on any device while Kiln polls the token endpoint at the server's pace.
import * as oauth from 'oauth4webapi';
import { KilnError } from '../../../../shared/errors';
import { oauthFailure } from '../failure';
import { accountOf, grantOf, type Grant } from '../grant';
import type { OAuthServer } from '../servers';

export interface DeviceStart {
  userCode: string;
  verificationUri: string;
  /** Seconds the device code lives, per the server. */
  expiresIn: number;
  /** Polls until the person approves (the grant), refuses or the code expires (a KilnError); `stop` ends it early. */
  poll(now: () => number): Promise<Grant>;
  stop(): void;
}

export async function startDevice(server: OAuthServer, loginHint?: string): Promise<DeviceStart> {
  if (!server.as.device_authorization_endpoint) {
    throw new KilnError('OAUTH_NOT_CONFIGURED', 'This provider offers no device sign-in; use the browser (loopback) flow');
  }
  let d: oauth.DeviceAuthorizationResponse;
  try {
    const params: Record<string, string> = { scope: server.scopes.join(' '), ...(loginHint ? { login_hint: loginHint } : {}) };
    const res = await oauth.deviceAuthorizationRequest(server.as, server.client, server.clientAuth, params, server.http);
    d = await oauth.processDeviceAuthorizationResponse(server.as, server.client, res);
  } catch (e) {
    throw oauthFailure(e, 'The device sign-in could not start');
  }
  let stopped = false;
  let wake: (() => void) | null = null;
  let timer: NodeJS.Timeout | null = null;
  const sleep = (s: number) =>
    new Promise<void>((r) => {
      wake = r;
      timer = setTimeout(r, s * 1000);
      timer.unref();
    });

  return {
    userCode: d.user_code,
    verificationUri: d.verification_uri,
    expiresIn: d.expires_in,
    async poll(now) {
      // RFC 8628 §3.5: 5 s unless the server says; slow_down adds 5 s for good.
      let interval = d.interval ?? 5;
      for (;;) {
        await sleep(interval);
        if (stopped) throw new KilnError('OAUTH_CALLBACK_INVALID', 'The device sign-in was abandoned');
        const startedAt = now();
        try {
          const res = await oauth.deviceCodeGrantRequest(server.as, server.client, server.clientAuth, d.device_code, server.http);
          const tokens = await oauth.processDeviceCodeResponse(server.as, server.client, res);
          return { ...grantOf(tokens, server.scopes, startedAt), account: accountOf(tokens) };
        } catch (e) {
          if (e instanceof oauth.ResponseBodyError && e.error === 'authorization_pending') continue;
          if (e instanceof oauth.ResponseBodyError && e.error === 'slow_down') {
            interval += 5;
            continue;
          }
          if (e instanceof oauth.ResponseBodyError && (e.error === 'access_denied' || e.error === 'expired_token')) {
            throw new KilnError('OAUTH_CALLBACK_INVALID', `The provider refused the device sign-in: ${e.error}`, { error: e.error });
          }
          throw oauthFailure(e, 'The device sign-in failed');
        }
      }
    },
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      (wake as (() => void) | null)?.();
    },
  };
}
