import nodemailer from 'nodemailer';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { addMailHubUser } from '../helpers/mailhub';
import { startFaultServer, type FaultServer } from '../helpers/fault-smtp';
import { findByMessageId, hubAccount, uniqueUser } from '../helpers/imap';
import { apiClient, createToken, startKiln, tempDataDir, type KilnProcess } from '../helpers/kiln';
import { waitFor } from '../helpers/wait';

// Settling an interrupted send, branch by branch, with real parts: Kiln sends through a scripted
// SMTP server that takes the DATA and never answers, so `kiln serve` is SIGKILLed mid-send. The
// recipient is a hub mailbox Kiln reads over IMAP. (a) The server had passed the message on: after
// the restart Kiln finds it in the recipient's INBOX and records it sent, with the evidence.
// (b) It had not: after the grace period Kiln resends it once, with the same Message-ID.
// (Nothing readable → SEND_INTERRUPTED is in restart.test.ts and crash-windows.test.ts.)

const hub = inject('mailhub');
const user = 'settle@faults.test';
const pass = 'settle-test-password';
let server: FaultServer | null = null;
let kiln: KilnProcess | null = null;
afterEach(async () => {
  await kiln?.stop();
  await server?.close();
  kiln = null;
  server = null;
});

const env = (grace: number) => ({ KILN_WARMUP: '0', KILN_FEEDBACK: '0', KILN_SETTLE_GRACE_SECONDS: String(grace) });
type Api = ReturnType<typeof apiClient>;
const get = async (api: Api, id: string) => (await api.get(`/api/v1/messages/${id}`)).body.data;

/** A sending mailbox on the scripted server, and the recipient as a readable mailbox in Kiln. */
async function setup(grace: number) {
  const rcpt = uniqueUser('settled');
  await addMailHubUser(hub, rcpt.address, rcpt.password);
  const dataDir = tempDataDir('kiln-settle');
  kiln = await startKiln({ dataDir, args: ['--ca-file', hub.caCertPath], env: env(grace) });
  const token = await createToken(dataDir, 'admin');
  const api = apiClient(kiln.url, token);
  const sender = await api.post('/api/v1/mailboxes', { email: user, provider: 'custom', smtp: { host: '127.0.0.1', port: server!.port, security: 'none', user, password: pass } });
  expect(sender.status).toBe(201);
  const reader = await api.post('/api/v1/mailboxes', { email: rcpt.address, provider: 'custom', ...hubAccount(hub, rcpt) });
  expect(reader.status).toBe(201);
  return { rcpt, dataDir, token, api, mailboxId: sender.body.data.id as string };
}

describe('interrupted sends, settled', () => {
  it('found in the recipient\'s mailbox: sent, with where and when as evidence, never sent twice', async () => {
    const relay = nodemailer.createTransport({ host: '127.0.0.1', port: hub.ports.smtp, secure: false, tls: { ca: [hub.caCert] } });
    const relayed: Promise<unknown>[] = [];
    let datas = 0;
    server = await startFaultServer({
      user,
      pass,
      // Passes the message on to the hub, then never answers Kiln: delivered, but Kiln cannot know.
      script: {
        data: (raw, session) => {
          datas++;
          relayed.push(relay.sendMail({ envelope: { from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '', to: session.envelope.rcptTo.map((r) => r.address) }, raw }));
          return { stall: true };
        },
      },
    });
    // A grace period far longer than the test: the verdict can only come from the search.
    const { rcpt, dataDir, token, api, mailboxId } = await setup(3600);
    const x = (await api.post('/api/v1/messages', { mailboxId, to: [rcpt.address], subject: 'arrives anyway', text: 'delivered' })).body.data;
    await waitFor(() => relayed.length === 1, { what: 'the DATA to reach the server' });
    await relayed[0];
    await waitFor(async () => (await findByMessageId(hub, rcpt.address, rcpt.password, x.messageId)).length === 1, { what: 'the copy in the INBOX' });
    await kiln!.kill();

    kiln = await startKiln({ dataDir, args: ['--ca-file', hub.caCertPath], env: env(3600) });
    const after = apiClient(kiln.url, token);
    const m = await waitFor(async () => {
      const r = await get(after, x.id);
      return r.status === 'sent' ? r : undefined;
    }, { what: 'the interrupted message to be settled as sent' });
    expect(m.events.map((e: { type: string }) => e.type)).toEqual(['queued', 'sending', 'interrupted', 'settled']);
    const evidence = m.events.at(-1);
    expect(evidence.data).toMatchObject({ foundIn: 'recipient_mailbox', mailbox: rcpt.address, folder: 'INBOX', role: 'inbox', attempt: 1 });
    expect(Date.parse(evidence.data.at)).toBeGreaterThan(0);
    expect(m.recipients).toEqual([expect.objectContaining({ address: rcpt.address, status: 'accepted' })]);
    expect(m.lastError).toBeNull();
    expect(datas).toBe(1);
    expect(await findByMessageId(hub, rcpt.address, rcpt.password, x.messageId)).toHaveLength(1);
  });

  it('not found after the grace period: resent once with the same Message-ID', async () => {
    let datas = 0;
    server = await startFaultServer({
      user,
      pass,
      // The first copy is swallowed (never answered, never passed on); a later one is accepted.
      script: { data: () => (++datas === 1 ? { stall: true } : undefined) },
    });
    const { rcpt, dataDir, token, api, mailboxId } = await setup(2);
    const x = (await api.post('/api/v1/messages', { mailboxId, to: [rcpt.address], subject: 'lost on the way', text: 'not delivered' })).body.data;
    await waitFor(() => datas === 1, { what: 'the DATA to reach the server' });
    await kiln!.kill();

    kiln = await startKiln({ dataDir, args: ['--ca-file', hub.caCertPath], env: env(2) });
    const after = apiClient(kiln.url, token);
    const m = await waitFor(async () => {
      const r = await get(after, x.id);
      return r.status === 'sent' ? r : undefined;
    }, { what: 'the resend to be sent', timeoutMs: 20_000 });
    expect(m.events.map((e: { type: string }) => e.type)).toEqual(['queued', 'sending', 'interrupted', 'resending', 'sending', 'sent']);
    expect(m.events[3].data).toMatchObject({ attempt: 1, searched: [`${rcpt.address} (inbox, spam, other)`] });
    expect(m.attempts).toBe(2);
    expect(server.delivered.map((d) => d.messageId)).toEqual([x.messageId]);
  });
});
