import { describe, expect, it } from 'vitest';
import type { MessageStructureObject } from 'imapflow';
import { serverPath } from '../../electron/core/mail/imap';
import { reportParts } from '../../electron/core/dmarc/ingest';

// Folder names as the server spells them, and which parts of a mail look like a DMARC report.

describe('DMARC folders on the server', () => {
  it('keeps "/" paths on servers that use "/" and no prefix', () => {
    expect(serverPath('DMARC/Processed', { prefix: '', delimiter: '/' })).toBe('DMARC/Processed');
    expect(serverPath('inbox', { prefix: '', delimiter: '/' })).toBe('INBOX');
  });

  it('adds the INBOX. namespace and the "." delimiter (Dovecot, cPanel, Courier)', () => {
    const ns = { prefix: 'INBOX.', delimiter: '.' };
    expect(serverPath('DMARC/Processed', ns)).toBe('INBOX.DMARC.Processed');
    expect(serverPath('/DMARC/Failed/', ns)).toBe('INBOX.DMARC.Failed');
    // Already written with the prefix, in Kiln's notation or the server's own.
    expect(serverPath('INBOX/Reports', ns)).toBe('INBOX.Reports');
    expect(serverPath('INBOX.Reports', ns)).toBe('INBOX.Reports');
    expect(serverPath('INBOX', ns)).toBe('INBOX');
  });

  it('falls back to "/" when the server reports no delimiter', () => {
    expect(serverPath('DMARC/Processed', { prefix: '', delimiter: null })).toBe('DMARC/Processed');
    expect(serverPath('DMARC/Processed', undefined)).toBe('DMARC/Processed');
  });
});

describe('report-like parts of a mail', () => {
  const part = (type: string, filename?: string, name?: string): MessageStructureObject => ({
    type,
    part: '2',
    ...(filename ? { disposition: 'attachment', dispositionParameters: { filename } } : {}),
    ...(name ? { parameters: { name } } : {}),
  });

  it('finds zip, gzip and XML attachments by media type or file name', () => {
    const mail: MessageStructureObject = {
      type: 'multipart/mixed',
      childNodes: [
        part('text/plain'),
        part('application/zip', 'google.com!example.com!1795132800!1795219199.zip'),
        part('application/octet-stream', undefined, 'outlook.com!example.com!1795132800!1795219199.xml.gz'),
        part('text/xml'),
        part('application/pdf', 'invoice.pdf'),
      ],
    };
    expect(reportParts(mail).map((p) => p.type)).toEqual(['application/zip', 'application/octet-stream', 'text/xml']);
  });

  it('a whole message that is one gzip file counts; a plain text mail does not', () => {
    expect(reportParts({ type: 'application/gzip' })).toHaveLength(1);
    expect(reportParts({ type: 'text/plain' })).toEqual([]);
    expect(reportParts({ type: 'multipart/alternative', childNodes: [part('text/plain'), part('text/html')] })).toEqual([]);
  });
});
