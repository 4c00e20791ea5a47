import type { ListResponse } from 'imapflow';
import { describe, expect, it } from 'vitest';
import { discoverFolders, pickOther, pickSpam } from '../../electron/core/mail/imap';
import { feedbackLoopFor } from '../../electron/core/providers';
import { drawPlan, defaultEngagement } from '../../electron/core/feedback/plan';
import { refFromHeaders } from '../../electron/core/feedback/recognise';
import { mayBeReport } from '../../electron/core/feedback/poll';

const folder = (path: string, delimiter: string, extra: Partial<ListResponse> = {}): ListResponse =>
  ({ path, pathAsListed: path, name: path.split(delimiter).at(-1)!, delimiter, parent: [], parentPath: '', flags: new Set<string>(), listed: true, subscribed: true, ...extra }) as ListResponse;

describe('special folder discovery', () => {
  it('finds junk, sent, trash, drafts and archive by SPECIAL-USE, junk also by the provider names', () => {
    const list = [
      folder('INBOX', '/'),
      folder('[Gmail]', '/', { flags: new Set(['\\Noselect']) }),
      folder('[Gmail]/Sent Mail', '/', { specialUse: '\\Sent', specialUseSource: 'extension' }),
      folder('[Gmail]/Bin', '/', { specialUse: '\\Trash', specialUseSource: 'extension' }),
      folder('[Gmail]/Drafts', '/', { specialUse: '\\Drafts', specialUseSource: 'extension' }),
      folder('[Gmail]/All Mail', '/', { specialUse: '\\All', specialUseSource: 'extension' }),
      folder('Bulk', '/'),
    ];
    expect(discoverFolders(list, feedbackLoopFor('yahoo'))).toEqual({ inbox: 'INBOX', junk: 'Bulk', sent: '[Gmail]/Sent Mail', trash: '[Gmail]/Bin', drafts: '[Gmail]/Drafts' });
    // A \Sent that cannot be selected is no Sent folder; no junk name known to Gmail here.
    const odd = [folder('INBOX', '/'), folder('Sent', '/', { specialUse: '\\Sent', flags: new Set(['\\Noselect']) }), folder('Archive', '/', { specialUse: '\\Archive' })];
    expect(discoverFolders(odd, feedbackLoopFor('gmail'))).toEqual({ inbox: 'INBOX', archive: 'Archive' });
  });
});

describe('spam folder resolution per provider', () => {
  it('Gmail: the SPECIAL-USE \\Junk folder under [Gmail]/', () => {
    const list = [folder('INBOX', '/'), folder('[Gmail]', '/', { flags: new Set(['\\Noselect']) }), folder('[Gmail]/Spam', '/', { specialUse: '\\Junk', specialUseSource: 'extension' })];
    expect(pickSpam(list, feedbackLoopFor('gmail').spamNames)?.path).toBe('[Gmail]/Spam');
  });

  it('Dovecot/cPanel: INBOX. namespace resolved from LIST, not assumed', () => {
    const list = [folder('INBOX', '.'), folder('INBOX.Sent', '.'), folder('INBOX.Junk', '.')];
    expect(pickSpam(list, feedbackLoopFor('custom').spamNames)?.path).toBe('INBOX.Junk');
  });

  it('Outlook: "Junk Email" without SPECIAL-USE', () => {
    const list = [folder('Inbox', '/'), folder('Junk Email', '/'), folder('Deleted Items', '/')];
    expect(pickSpam(list, feedbackLoopFor('outlook').spamNames)?.path).toBe('Junk Email');
  });

  it('Yahoo: "Bulk"; a \\Noselect match is skipped; no spam folder gives none', () => {
    expect(pickSpam([folder('Inbox', '/'), folder('Bulk', '/')], feedbackLoopFor('yahoo').spamNames)?.path).toBe('Bulk');
    expect(pickSpam([folder('Spam', '/', { flags: new Set(['\\Noselect']) })], feedbackLoopFor('zoho').spamNames)).toBeUndefined();
    expect(pickSpam([folder('INBOX', '/')], feedbackLoopFor('custom').spamNames)).toBeUndefined();
  });

  it('a server-announced \\Junk wins over a folder merely named Spam', () => {
    const list = [folder('Spam', '/'), folder('Quarantine', '/', { specialUse: '\\Junk', specialUseSource: 'extension' })];
    expect(pickSpam(list, feedbackLoopFor('custom').spamNames)?.path).toBe('Quarantine');
  });
});

describe('recognition and plans', () => {
  it('reads the neutral token from raw headers, case-insensitively, and rejects malformed ones', () => {
    const ref = 'a'.repeat(32);
    expect(refFromHeaders(`Subject: x\r\nx-entity-ref-id:  ${ref.toUpperCase()}\r\n\r\n`)).toBe(ref);
    expect(refFromHeaders('X-Entity-Ref-ID: not-a-token\r\n')).toBeNull();
    expect(refFromHeaders(undefined)).toBeNull();
  });

  it('never plans a reply to a reply, and only rescues what landed in spam', () => {
    const always = { ...defaultEngagement, rescue: 1, open: 1, flag: 1, reply: 1 };
    expect(drawPlan(always, 'spam', 'warmup')).toMatchObject({ rescue: true, reply: true });
    expect(drawPlan(always, 'inbox', 'warmup').rescue).toBe(false);
    expect(drawPlan(always, 'inbox', 'reply').reply).toBe(false);
  });

  it('picks out reports and automatic replies from headers alone', () => {
    expect(mayBeReport('Content-Type: multipart/report; report-type=delivery-status; boundary=x\r\n')).toBe(true);
    expect(mayBeReport('Auto-Submitted: auto-replied\r\nSubject: Out of Office\r\n')).toBe(true);
    expect(mayBeReport('From: Mail Delivery System <MAILER-DAEMON@mx.example.com>\r\n')).toBe(true);
    expect(mayBeReport('From: Ana <ana@example.com>\r\nSubject: Lunch?\r\n')).toBe(false);
  });
});

describe('"other" folders (delivered, not the primary inbox) per provider', () => {
  const list = [
    folder('INBOX', '.'),
    folder('INBOX.Promotions', '.'),
    folder('INBOX.Newsletter', '.'),
    folder('INBOX.Clutter', '.'),
    folder('INBOX.Junk', '.', { specialUse: '\\Junk' }),
    folder('INBOX.Kiln', '.'),
  ];
  it('generic IMAP watches promotion, newsletter and clutter folders by name, in their namespace', () => {
    expect(pickOther(list, feedbackLoopFor('custom').otherNames).map((f) => f.path)).toEqual(['INBOX.Promotions', 'INBOX.Newsletter', 'INBOX.Clutter']);
  });
  it('Gmail has none over IMAP (tabs are categories); Outlook only Clutter; Zoho its Newsletter folder', () => {
    expect(pickOther(list, feedbackLoopFor('gmail').otherNames)).toEqual([]);
    expect(pickOther(list, feedbackLoopFor('outlook').otherNames).map((f) => f.path)).toEqual(['INBOX.Clutter']);
    expect(pickOther(list, feedbackLoopFor('zoho').otherNames).map((f) => f.path)).toEqual(['INBOX.Newsletter']);
  });
  it('never takes a SPECIAL-USE or unselectable folder', () => {
    const odd = [folder('Promotions', '/', { specialUse: '\\Archive' }), folder('Updates', '/', { flags: new Set(['\\Noselect']) })];
    expect(pickOther(odd, feedbackLoopFor('custom').otherNames)).toEqual([]);
  });
});
