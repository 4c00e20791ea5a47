import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { decideFailed, decideSent, failureOf } from '../../electron/core/sending/outcome';
import { smtpOptions } from '../../electron/core/sending/transports';
import type { MailCredential } from '../../electron/core/mail/credential';
import { KilnError } from '../../shared/errors';
import { WireLog } from '../../electron/core/sending/wire-log';
import { acquireDispatchLock } from '../../electron/core/sending/dispatch-lock';
import type { MailboxRow, MessageRow, RecipientRow } from '../../electron/core/db/schema';
import type { SmtpFailure } from '../../electron/core/mail/smtp-errors';
import { tempDataDir } from '../helpers/kiln';

const msg = (attempts: number) => ({ id: 'msg_1', workspace_id: 'ws', mailbox_id: 'mbx', attempts }) as MessageRow;
const rcpt = (address: string) => ({ message_id: 'msg_1', kind: 'to', address, status: 'pending' }) as RecipientRow;
const transient: SmtpFailure = { code: 'SMTP_TRANSIENT', stage: 'send', kind: 'transient', senderProblem: false, mailboxProblem: false, responseCode: 451, message: '451 later' };
const now = Date.UTC(2026, 10, 23);

describe('send outcome decisions', () => {
  it('retries a transient failure after backoff[attempt - 1] minutes, then fails with the reason', () => {
    const backoff = [1, 5, 15, 60];
    const expected = [1, 5, 15, 60];
    for (let attempt = 1; attempt <= 4; attempt++) {
      const d = decideFailed(msg(attempt), [rcpt('a@x.test')], new Error('x'), transient, backoff, now);
      expect(d.outcome.status).toBe('retry_scheduled');
      expect(d.outcome.next! - now).toBe(expected[attempt - 1]! * 60_000);
    }
    const last = decideFailed(msg(5), [rcpt('a@x.test')], new Error('x'), transient, backoff, now);
    expect(last.outcome.status).toBe('failed');
    expect(last.outcome.next).toBeNull();
    expect(last.outcome.events[0]!.data).toMatchObject({ reason: 'retries exhausted', attempt: 5 });
  });

  it('fails a permanent failure at once', () => {
    const d = decideFailed(msg(1), [], new Error('x'), { ...transient, kind: 'permanent', code: 'SMTP_PERMANENT', responseCode: 554 }, [1, 5], now);
    expect(d.outcome.status).toBe('failed');
    expect(d.outcome.error).toMatchObject({ code: 'SMTP_PERMANENT', responseCode: 554 });
  });

  it('records accepted and rejected recipients of a partly accepted message', () => {
    const rejectedError = Object.assign(new Error("Recipient command failed: 550 5.1.1 <b@x.test>: user unknown"), {
      code: 'EENVELOPE', responseCode: 550, response: '550 5.1.1 <b@x.test>: user unknown', command: 'RCPT TO', recipient: 'b@x.test',
    });
    const d = decideSent(msg(1), [rcpt('a@x.test'), rcpt('b@x.test')], { accepted: ['a@x.test'], rejected: ['b@x.test'], rejectedErrors: [rejectedError], response: '250 ok' }, now);
    expect(d.outcome.status).toBe('sent');
    expect(d.outcome.sentAt).toBe(now);
    expect(d.outcome.recipients.map((r) => [r.address, r.status])).toEqual([['a@x.test', 'accepted'], ['b@x.test', 'rejected']]);
    expect(d.rejected[0]!.failure).toMatchObject({ code: 'SMTP_RECIPIENT_UNKNOWN', enhancedStatus: '5.1.1' });
    expect(d.outcome.events.map((e) => e.type)).toEqual(['sent', 'recipient_rejected']);
  });
});

describe('wire log', () => {
  it('keeps the highest attempt per message, ignores a torn last line, compacts to what is outstanding', () => {
    const dir = tempDataDir();
    const log = new WireLog(dir);
    log.onWire('msg_a', 1);
    log.onWire('msg_b', 1);
    log.onWire('msg_a', 2);
    fs.appendFileSync(path.join(dir, 'wire.log'), 'msg_c'); // a crash mid-write
    expect([...log.read()]).toEqual([['msg_a', 2], ['msg_b', 1]]);
    log.compact([{ id: 'msg_b', attempt: 1 }], true);
    log.onWire('msg_d', 1);
    expect([...log.read()]).toEqual([['msg_b', 1], ['msg_d', 1]]);
    log.close();
    expect(fs.statSync(path.join(dir, 'wire.log')).mode & 0o777).toBe(0o600);
  });
});

describe('dispatch lock', () => {
  it('refuses a second live sender on the same data folder and takes over a dead one\'s lock', () => {
    const dir = tempDataDir();
    fs.writeFileSync(path.join(dir, 'dispatcher.lock'), '1'); // pid 1 is always alive
    expect(() => acquireDispatchLock(dir)).toThrow(/is in use: .*\(pid 1\) is already sending from it/);
    fs.writeFileSync(path.join(dir, 'dispatcher.lock'), '999999999'); // no such process
    const release = acquireDispatchLock(dir);
    expect(fs.readFileSync(path.join(dir, 'dispatcher.lock'), 'utf8')).toBe(String(process.pid));
    release();
    expect(fs.existsSync(path.join(dir, 'dispatcher.lock'))).toBe(false);
  });
});

describe('a token refresh refused inside SMTP AUTH', () => {
  it('reaches the dispatcher as the token manager\'s code (the mail waits), though nodemailer renames the error EAUTH', async () => {
    const revoked = new KilnError('OAUTH_REVOKED', 'The grant was revoked');
    const credential: MailCredential = { kind: 'oauth2', accessToken: 'a', token: () => Promise.reject(revoked) };
    const row = { smtp_user: 'u@x.test', smtp_host: '127.0.0.1', smtp_port: 587, smtp_security: 'starttls' } as MailboxRow;
    const auth = smtpOptions(row, credential, {}).auth as unknown as { provisionCallback(user: string, renew: boolean, cb: (err: Error | null) => void): void };
    const handed = await new Promise<Error>((resolve) => auth.provisionCallback('u@x.test', false, (err) => resolve(err!)));
    // What nodemailer's SMTPConnection does to the error it is given (_formatError) before the send rejects with it.
    Object.assign(handed, { code: 'EAUTH', command: 'AUTH XOAUTH2' });
    expect(failureOf(handed)).toMatchObject({ code: 'OAUTH_REVOKED', stage: 'auth', kind: 'transient', mailboxProblem: false });
  });
});
