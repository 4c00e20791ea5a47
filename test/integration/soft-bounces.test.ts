// Soft bounces through the real feedback loop: delay DSNs (4.x.x) appended to the sender's watched
// INBOX on the hub. Two do not suppress the recipient; the third within 7 days does; three spread
// over more than 7 days (the simulated clock moves between them) do not.
import { ImapFlow } from 'imapflow';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { addMailHubUser } from '../helpers/mailhub';
import { startTestCore, type TestCore } from '../helpers/core';
import { hubAccount, uniqueUser } from '../helpers/imap';
import { waitFor } from '../helpers/wait';

const hub = inject('mailhub');
const sender = uniqueUser('soft-s');
const within = uniqueUser('soft-w', 'other.test');
const spread = uniqueUser('soft-x', 'other.test');
const DAY = 86_400_000;
let k: TestCore;
let senderId: string;
let dsnCount = 0;

beforeAll(async () => {
  // The recipients exist on the hub, so the real delivery succeeds: only the DSNs below speak of trouble.
  for (const u of [sender, within, spread]) await addMailHubUser(hub, u.address, u.password);
  k = await startTestCore({ ca: [hub.caCert], feedbackPollMs: 300, warmup: false });
  senderId = (await k.call('mailboxes.create', { email: sender.address, provider: 'custom', ...hubAccount(hub, sender) })).id;
});
afterAll(async () => {
  await k?.core.close(5000);
});

/** A 4.2.2 delay notice about `messageId` for `to`, as a remote MTA would return it. */
function delayDsn(to: string, messageId: string): string {
  dsnCount += 1;
  return [
    'From: MAILER-DAEMON@other.test (Mail Delivery System)', `To: ${sender.address}`, 'Subject: Delayed Mail (still being retried)',
    `Message-ID: <soft-delay-${dsnCount}-${Date.now()}@other.test>`, 'Auto-Submitted: auto-replied', 'MIME-Version: 1.0',
    'Content-Type: multipart/report; report-type=delivery-status; boundary="b1"', '',
    '--b1', 'Content-Type: text/plain', '', 'Your message could not be delivered yet; the server will keep trying.', '',
    '--b1', 'Content-Type: message/delivery-status', '', 'Reporting-MTA: dns; mx.other.test', '',
    `Final-Recipient: rfc822; ${to}`, 'Action: delayed', 'Status: 4.2.2', 'Diagnostic-Code: smtp; 452 4.2.2 Mailbox full', '',
    '--b1', 'Content-Type: text/rfc822-headers', '', `From: ${sender.address}`, `To: ${to}`, 'Subject: Status', `Message-ID: ${messageId}`, '',
    '--b1--', '',
  ].join('\r\n');
}

/** Send one message to `to`, then bounce it softly; resolves once Kiln has recorded that soft bounce. */
async function softBounce(to: string): Promise<void> {
  const sent = await k.call('messages.send', { mailboxId: senderId, to: [to], subject: 'Status', text: 'update' });
  await k.waitStatus(sent.id, ['sent'], 30_000);
  const c = new ImapFlow({ host: '127.0.0.1', port: hub.ports.imap, secure: false, doSTARTTLS: true, tls: { ca: [hub.caCert] }, auth: { user: sender.address, pass: sender.password }, logger: false });
  await c.connect();
  await c.append('INBOX', delayDsn(to, sent.messageId));
  await c.logout();
  await waitFor(
    async () => (await k.call('messages.get', { id: sent.id })).events.some((e) => e.type === 'soft_bounce'),
    { timeoutMs: 30_000, what: `the soft bounce of ${sent.id} to be recorded` },
  );
}

const suppressed = async (address: string) => (await k.call('suppressions.list', { limit: 100 })).items.find((s) => s.address === address);

describe('soft bounces → suppression', () => {
  it('two soft bounces do not suppress; the third within 7 days does', async () => {
    await softBounce(within.address);
    k.advance(DAY);
    await softBounce(within.address);
    // Recorded in the same transaction as the suppression decision: nothing more is to come.
    expect(await suppressed(within.address)).toBeUndefined();
    k.advance(DAY);
    await softBounce(within.address);
    expect(await suppressed(within.address)).toMatchObject({ reason: 'soft_bounces', detail: '3 soft bounces within 7 days' });
  });

  it('three soft bounces spread over more than 7 days do not suppress', async () => {
    await softBounce(spread.address);
    k.advance(4 * DAY);
    await softBounce(spread.address);
    k.advance(4 * DAY);
    await softBounce(spread.address);
    expect(await suppressed(spread.address)).toBeUndefined();
  });
});
