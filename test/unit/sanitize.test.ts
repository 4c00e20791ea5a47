import { describe, expect, it } from 'vitest';
import { MIN_SECRET_LENGTH, sanitizeText } from '../../electron/core/mail/sanitize';
import { classifySmtpError } from '../../electron/core/mail/smtp-errors';
import { classifyImapError } from '../../electron/core/mail/imap';

const b64 = (s: string): string => Buffer.from(s, 'utf8').toString('base64');

describe('sanitizeText: redaction by value', () => {
  it('leaves a short password alone: it would cut into words and host names', () => {
    const text = 'getaddrinfo ENOTFOUND smtp.nonexistent.invalid';
    expect(sanitizeText(text, ['x'])).toBe(text);
    expect(sanitizeText('Connection to mail.example.com timed out', ['ex', 'mail'])).toBe('Connection to mail.example.com timed out');
    // The threshold itself is redacted: 8 characters is long enough to be a secret.
    const eight = 'Ab3$efgh';
    expect(eight).toHaveLength(MIN_SECRET_LENGTH);
    expect(sanitizeText(`echo ${eight}`, [eight])).toBe('echo [redacted]');
  });

  it('redacts a password of 8+ characters, verbatim and in base64', () => {
    const pw = 'Corr3ct-Horse!battery';
    const out = sanitizeText(`535 bad password ${pw} (${b64(pw)})`, [pw]);
    expect(out).not.toContain(pw);
    expect(out).not.toContain(b64(pw));
    expect(out).toBe('535 bad password [redacted] ([redacted])');
  });

  it('never cuts into a kept host name, even one containing the password', () => {
    const pw = 'nonexistent';
    const host = 'smtp.nonexistent.invalid';
    const out = sanitizeText(`queryA ENOTFOUND ${host}; echoed ${pw}`, [pw], [host]);
    expect(out).toBe(`queryA ENOTFOUND ${host}; echoed [redacted]`);
  });

  it('a password that contains the host name is still redacted', () => {
    const host = 'mail.example.com';
    const pw = `${host}-Secret9`;
    const out = sanitizeText(`LOGIN failed for ${pw} at ${host}`, [pw], [host]);
    expect(out).toBe(`LOGIN failed for [redacted] at ${host}`);
  });
});

describe('sanitizeText: credentials in protocol text', () => {
  it('strips AUTH and AUTHENTICATE initial responses, whatever the password length', () => {
    const plain = b64('\0alice@warm.test\0x');
    expect(sanitizeText(`501 Syntax error in AUTH PLAIN ${plain}`)).toBe('501 Syntax error in AUTH PLAIN [redacted]');
    expect(sanitizeText(`A1 AUTHENTICATE PLAIN ${plain}`)).toBe('A1 AUTHENTICATE PLAIN [redacted]');
  });

  it('strips the password of an echoed IMAP LOGIN, keeping the user', () => {
    expect(sanitizeText('A1 LOGIN "alice@warm.test" "x"')).toBe('A1 LOGIN "alice@warm.test" [redacted]');
    expect(sanitizeText('A1 LOGIN alice "p\\"w d"')).toBe('A1 LOGIN alice [redacted]');
    expect(sanitizeText('NO [AUTHENTICATIONFAILED] LOGIN failed.')).toBe('NO [AUTHENTICATIONFAILED] LOGIN failed.');
  });

  it('strips a standalone base64 blob but never a label of a dotted name', () => {
    expect(sanitizeText(`535 5.7.8 ${b64('Hunter2-Secret')}`)).toBe('535 5.7.8 [redacted]');
    for (const host of ['Mx01Prod.example.com', 'relay.Mx01Prod.example.com', 'alice@Warm2Test.example', 'eu-Mx01Prod9.example.com']) {
      expect(sanitizeText(`getaddrinfo ENOTFOUND ${host}`)).toBe(`getaddrinfo ENOTFOUND ${host}`);
    }
  });
});

describe('classifiers keep the configured host intact', () => {
  it('SMTP: a DNS failure names the host whole with a one-letter password', () => {
    const err = Object.assign(new Error('getaddrinfo ENOTFOUND smtp.nonexistent.invalid'), { code: 'ENOTFOUND', hostname: 'smtp.nonexistent.invalid' });
    const f = classifySmtpError(err, { stage: 'dns', secrets: ['x'], keep: ['smtp.nonexistent.invalid'] });
    expect(f.code).toBe('SMTP_DNS');
    expect(f.message).toContain('smtp.nonexistent.invalid');
    expect(f.message).not.toContain('[redacted]');
  });

  it('IMAP: the same', () => {
    const err = Object.assign(new Error('getaddrinfo ENOTFOUND imap.nonexistent.invalid'), { code: 'ENOTFOUND' });
    const f = classifyImapError(err, { stage: 'dns', secrets: ['x'], keep: ['imap.nonexistent.invalid'] });
    expect(f.message).toContain('imap.nonexistent.invalid');
  });
});
