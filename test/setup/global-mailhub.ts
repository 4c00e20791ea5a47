/**
 * vitest globalSetup: one private mail hub (Postfix + Dovecot on 127.0.0.1) for the whole test run.
 * Tests get its connection data with `inject('mailhub')`; users can be added from a test with
 * `addMailHubUser(inject('mailhub'), address, password)`. Runs in the main vitest process, as root.
 */
import type { TestProject } from 'vitest/node';
import { mailHubInfo, startMailHub, type MailHubInfo } from '../helpers/mailhub';

declare module 'vitest' {
  export interface ProvidedContext {
    mailhub: MailHubInfo;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const hub = await startMailHub();
  // Only plain data crosses to the test workers (provided values are serialized).
  const info: MailHubInfo = mailHubInfo(hub);
  project.provide('mailhub', info);
  return async () => {
    await hub.stop();
  };
}
