/**
 * vitest globalSetup: one private mail hub (Postfix + Dovecot on 127.0.0.1) for the whole test run, and the OAuth2 /
 * OpenID Connect server whose tokens the hub accepts (XOAUTH2, OAUTHBEARER). Tests get their connection data with
 * `inject('mailhub')` and `inject('oidc')`; users can be added from a test with
 * `addMailHubUser(inject('mailhub'), address, password)`, OAuth-only ones with `addMailHubOAuthUser` plus
 * `addOidcUser(inject('oidc'), address, password)`. Runs in the main vitest process, as root.
 */
import type { TestProject } from 'vitest/node';
import { mailHubInfo, startMailHub, type MailHubInfo } from '../helpers/mailhub';
import { oidcInfo, startOidcProvider, type OidcInfo } from '../helpers/oidc';

declare module 'vitest' {
  export interface ProvidedContext {
    mailhub: MailHubInfo;
    oidc: OidcInfo;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const oidc = await startOidcProvider({ accessTokenTtl: Number(process.env.KILN_TEST_OAUTH_ACCESS_TTL ?? 60) });
  const hub = await startMailHub({
    oauth: { introspectionUrl: oidc.endpoints.introspection, clientId: oidc.clients.dovecot.clientId, clientSecret: oidc.clients.dovecot.clientSecret as string },
  }).catch(async (err: unknown) => {
    await oidc.stop();
    throw err;
  });
  // Only plain data crosses to the test workers (provided values are serialized).
  project.provide('mailhub', mailHubInfo(hub));
  project.provide('oidc', oidcInfo(oidc));
  return async () => {
    await hub.stop();
    await oidc.stop();
  };
}
