import path from 'node:path';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { startFaultServer, type FaultScript, type FaultServer } from '../helpers/fault-smtp';
import { startTestCore, type TestCore } from '../helpers/core';
import { dispatcherLooked, waitFor } from '../helpers/wait';

// Scripted SMTP failures (smtp-server on 127.0.0.1) against the real send path of an in-process
// core with a manual clock, so retry backoffs of minutes pass instantly.

const hub = inject('mailhub');
const tlsDir = path.join(hub.dir, 'tls');
let server: FaultServer | null = null;
let kiln: TestCore | null = null;

afterEach(async () => {
  await kiln?.core.close(5000);
  await server?.close();
  kiln = null;
  server = null;
});

async function setup(script: FaultScript, o: { security?: 'none' | 'starttls'; tls?: boolean; password?: string; dailyLimit?: number } = {}) {
  server = await startFaultServer({ script, user: 'sender@faults.test', pass: 'right-pass', tlsDir: o.tls ? tlsDir : undefined });
  kiln = await startTestCore({ ca: [hub.caCert] });
  const mb = await kiln.call('mailboxes.create', {
    email: 'sender@faults.test',
    provider: 'custom',
    smtp: { host: '127.0.0.1', port: server.port, security: o.security ?? 'none', user: 'sender@faults.test', password: o.password ?? 'right-pass' },
    dailyLimit: o.dailyLimit,
  });
  return { mb, kiln, server };
}

const send = (k: TestCore, mailboxId: string, to = ['rcpt@dest.test'], extra: Record<string, unknown> = {}) =>
  k.call('messages.send', { mailboxId, to, subject: 'hello', text: 'body', ...extra });

describe('SMTP faults', () => {
  it('421 then success: retried after the backoff and delivered exactly once', async () => {
    const { mb, kiln, server } = await setup({ mailFrom: (_a, _s, n) => (n === 1 ? { reply: 421, message: '4.3.2 Service not available, try later' } : undefined) });
    const { id, messageId } = await send(kiln, mb.id);
    const retrying = await kiln.waitStatus(id, ['retry_scheduled']);
    expect(retrying.lastError).toMatchObject({ kind: 'transient', responseCode: 421 });
    expect(retrying.attempts).toBe(1);
    expect(Date.parse(retrying.nextAttemptAt!) - kiln.clock.now()).toBe(60_000);
    kiln.advance(59_000);
    expect((await kiln.call('messages.get', { id })).status).toBe('retry_scheduled');
    kiln.advance(1_000);
    const sent = await kiln.waitStatus(id, ['sent']);
    expect(sent.attempts).toBe(2);
    expect(sent.lastError).toBeNull();
    expect(server.delivered.filter((d) => d.messageId === messageId)).toHaveLength(1);
    expect(sent.events.map((e) => e.type)).toEqual(['queued', 'sending', 'retry_scheduled', 'sending', 'sent']);
  });

  it('451 at end of DATA twice, then success: backoff follows 1 then 5 minutes', async () => {
    const { mb, kiln, server } = await setup({ data: (_r, _s, n) => (n <= 2 ? { reply: 451, message: '4.7.1 Greylisted, come back later' } : undefined) });
    const { id, messageId } = await send(kiln, mb.id);
    const first = await kiln.waitStatus(id, ['retry_scheduled']);
    expect(first.lastError?.enhancedStatus).toBe('4.7.1');
    kiln.advance(60_000);
    const second = await waitFor(async () => {
      const m = await kiln.call('messages.get', { id });
      return m.attempts === 2 && m.status === 'retry_scheduled' ? m : undefined;
    });
    expect(Date.parse(second.nextAttemptAt!) - kiln.clock.now()).toBe(5 * 60_000);
    kiln.advance(5 * 60_000);
    await kiln.waitStatus(id, ['sent']);
    expect(server.delivered.filter((d) => d.messageId === messageId)).toHaveLength(1);
  });

  it('550 5.1.1: failed at once, never retried, recipient suppressed', async () => {
    const { mb, kiln, server } = await setup({ rcptTo: () => ({ reply: 550, message: '5.1.1 No such user here' }) });
    const { id } = await send(kiln, mb.id, ['gone@dest.test']);
    const failed = await kiln.waitStatus(id, ['failed']);
    expect(failed.lastError).toMatchObject({ kind: 'permanent', code: 'SMTP_RECIPIENT_UNKNOWN', enhancedStatus: '5.1.1' });
    expect(failed.recipients[0]).toMatchObject({ address: 'gone@dest.test', status: 'rejected', responseCode: 550, enhancedStatus: '5.1.1' });
    kiln.advance(24 * 3600_000);
    await dispatcherLooked(async () => (await kiln.core.metrics()).body);
    kiln.core.services.dispatcher!.flush(); // a claim it made would now read as attempt 2
    expect((await kiln.call('messages.get', { id })).attempts).toBe(1);
    expect(server.counts.mailFrom).toBe(1);
    const sup = await waitFor(async () => (await kiln.call('suppressions.list', {})).items.find((s) => s.address === 'gone@dest.test'));
    expect(sup.reason).toBe('hard_bounce');
    await expect(send(kiln, mb.id, ['gone@dest.test'])).rejects.toMatchObject({ code: 'RECIPIENT_SUPPRESSED' });
  });

  it('535 authentication failure: coded auth-stage error on the message and the mailbox', async () => {
    const { mb, kiln } = await setup({}, { password: 'wrong-pass' });
    const { id } = await send(kiln, mb.id);
    const failed = await kiln.waitStatus(id, ['failed']);
    expect(failed.lastError).toMatchObject({ code: 'SMTP_AUTH_FAILED', stage: 'auth', kind: 'permanent', responseCode: 535 });
    const mailbox = await waitFor(async () => {
      const m = await kiln.call('mailboxes.get', { id: mb.id });
      return m.status === 'error' ? m : undefined;
    });
    expect(mailbox.lastError).toMatchObject({ protocol: 'smtp', stage: 'auth', code: 'SMTP_AUTH_FAILED' });
    expect(JSON.stringify(failed)).not.toContain('wrong-pass');
    // Fixing the password clears the error state.
    const fixed = await kiln.call('mailboxes.update', { id: mb.id, smtp: { password: 'right-pass' } });
    expect(fixed.status).toBe('active');
    expect(fixed.lastError).toBeNull();
  });

  it('connection dropped mid-DATA: transient, retried, delivered once', async () => {
    const { mb, kiln, server } = await setup({ data: (_r, _s, n) => (n === 1 ? { drop: true } : undefined) });
    const { id, messageId } = await send(kiln, mb.id);
    const retrying = await kiln.waitStatus(id, ['retry_scheduled']);
    expect(retrying.lastError?.kind).toBe('transient');
    expect(retrying.lastError?.stage).toBe('send');
    kiln.advance(60_000);
    await kiln.waitStatus(id, ['sent']);
    expect(server.delivered.filter((d) => d.messageId === messageId)).toHaveLength(1);
  });

  it('STARTTLS required but not offered: tls-stage failure, mailbox in error', async () => {
    const { mb, kiln, server } = await setup({}, { security: 'starttls', tls: false });
    const { id } = await send(kiln, mb.id);
    const failed = await kiln.waitStatus(id, ['failed']);
    expect(failed.lastError).toMatchObject({ stage: 'tls', code: 'SMTP_TLS_UNAVAILABLE', kind: 'permanent' });
    expect(server.counts.auth).toBe(0); // the password never crossed in clear
    const mailbox = await kiln.call('mailboxes.get', { id: mb.id });
    expect(mailbox.status).toBe('error');
  });

  it('STARTTLS offered: sends over TLS trusting the configured CA', async () => {
    const { mb, kiln, server } = await setup({}, { security: 'starttls', tls: true });
    const { id, messageId } = await send(kiln, mb.id);
    await kiln.waitStatus(id, ['sent']);
    expect(server.delivered.map((d) => d.messageId)).toContain(messageId);
  });

  it('5.7.1 at RCPT: failed, flagged as the sender\'s problem, mailbox keeps sending, recipient not suppressed', async () => {
    const { mb, kiln } = await setup({ rcptTo: () => ({ reply: 550, message: '5.7.1 Message rejected: sender not authenticated (SPF)' }) });
    const { id } = await send(kiln, mb.id, ['someone@dest.test']);
    const failed = await kiln.waitStatus(id, ['failed']);
    expect(failed.lastError).toMatchObject({ code: 'SMTP_POLICY', senderProblem: true, enhancedStatus: '5.7.1' });
    const mailbox = await waitFor(async () => {
      const m = await kiln.call('mailboxes.get', { id: mb.id });
      return m.lastError ? m : undefined;
    });
    expect(mailbox.lastError).toMatchObject({ code: 'SMTP_POLICY' });
    expect(mailbox.status).toBe('active');
    expect((await kiln.call('suppressions.list', {})).items).toHaveLength(0);
  });

  it('5.7.1 at MAIL FROM on the submission server: the mailbox itself cannot send, so it goes to error', async () => {
    const { mb, kiln } = await setup({ mailFrom: () => ({ reply: 553, message: '5.7.1 Sender address rejected: not owned by user' }) });
    const { id } = await send(kiln, mb.id);
    const failed = await kiln.waitStatus(id, ['failed']);
    expect(failed.lastError).toMatchObject({ senderProblem: true, enhancedStatus: '5.7.1', kind: 'permanent' });
    const mailbox = await waitFor(async () => {
      const m = await kiln.call('mailboxes.get', { id: mb.id });
      return m.status === 'error' ? m : undefined;
    });
    expect(mailbox.lastError?.stage).toBe('send');
    expect((await kiln.call('suppressions.list', {})).items).toHaveLength(0);
  });

  it('a failed send never counts against the daily quota', async () => {
    const { mb, kiln, server } = await setup(
      { rcptTo: (a) => (a.startsWith('bad') ? { reply: 550, message: '5.1.1 unknown' } : undefined) },
      { dailyLimit: 2 },
    );
    const bad = await send(kiln, mb.id, ['bad1@dest.test']);
    await kiln.waitStatus(bad.id, ['failed']);
    const a = await send(kiln, mb.id, ['a@dest.test']);
    const b = await send(kiln, mb.id, ['b@dest.test']);
    const c = await send(kiln, mb.id, ['c@dest.test']);
    await kiln.waitStatus(a.id, ['sent']);
    await kiln.waitStatus(b.id, ['sent']);
    // A scan after both were sent had c due: the quota, not a slow dispatcher, keeps it queued.
    await dispatcherLooked(async () => (await kiln.core.metrics()).body);
    kiln.core.services.dispatcher!.flush();
    expect((await kiln.call('messages.get', { id: c.id })).status).toBe('queued');
    expect(server.delivered).toHaveLength(2);
    // The next day (in the mailbox's zone) the quota is fresh.
    kiln.advance(24 * 3600_000);
    await kiln.waitStatus(c.id, ['sent']);
  });
});
