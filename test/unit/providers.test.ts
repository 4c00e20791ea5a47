import { describe, expect, it } from 'vitest';
import { providers, securityModes } from '../../shared/domain/mailbox';
import { exactDomainsOf, providerOf, providerOfMx, providerRecord, providerRecords } from '../../electron/core/providers';
import { presets } from '../../electron/core/mailboxes/presets';

// One record per provider: each is complete, and recognition (address domain, MX host) picks the right one.

describe('provider records', () => {
  it('has exactly one record per provider id, keyed by its own id', () => {
    expect(Object.keys(providerRecords).sort()).toEqual([...providers].sort());
    for (const [key, r] of Object.entries(providerRecords)) expect(r.id).toBe(key);
  });

  it.each(providers.map((p) => [p]))('%s is complete', (id) => {
    const r = providerRecords[id];
    expect(r.label.length).toBeGreaterThan(0);
    expect(r.note.length).toBeGreaterThan(0);
    expect(r.feedback.quirks.length).toBeGreaterThan(0);
    expect(r.feedback.spamNames.length).toBeGreaterThan(0);
    // Folder names are compared with the last path component lower-cased.
    for (const n of [...r.feedback.spamNames, ...r.feedback.otherNames]) expect(n).toBe(n.toLowerCase());
    expect(typeof r.filesSubmittedInSent).toBe('boolean');
    if (id === 'custom') {
      expect(r.smtp).toBeNull();
      expect(r.imap).toBeNull();
      expect(r.recognise).toEqual({ domains: [], mx: [] });
      return;
    }
    expect(r.recognise.domains.length).toBeGreaterThan(0);
    expect(r.recognise.mx.length).toBeGreaterThan(0);
    for (const e of [r.smtp, r.imap]) {
      expect(e).not.toBeNull();
      expect(e!.host).toMatch(/^[a-z0-9.-]+\.[a-z]+$/);
      expect(e!.port).toBeGreaterThan(0);
      expect(securityModes).toContain(e!.security);
    }
    if (r.oauth) {
      expect(r.oauth.authorizeUrl).toMatch(/^https:\/\//);
      expect(r.oauth.tokenUrl).toMatch(/^https:\/\//);
      expect(r.oauth.scopes.length).toBeGreaterThan(0);
    }
    if (r.bulkSender?.spamRateLimit != null) expect(r.bulkSender.spamRateTarget!).toBeLessThan(r.bulkSender.spamRateLimit);
  });

  it('says which providers file submitted mail in Sent themselves: Gmail and Outlook', () => {
    expect(providers.filter((p) => providerRecords[p].filesSubmittedInSent)).toEqual(['gmail', 'outlook']);
  });

  it('carries the public OAuth endpoints of Google and Microsoft', () => {
    expect(providerRecords.gmail.oauth).toMatchObject({
      authorizeUrl: 'https://accounts.google.com/o/oauth2/v2/auth',
      tokenUrl: 'https://oauth2.googleapis.com/token',
      scopes: ['https://mail.google.com/'],
      sasl: { smtp: 'XOAUTH2', imap: 'XOAUTH2' },
    });
    expect(providerRecords.outlook.oauth?.authorizeUrl).toBe('https://login.microsoftonline.com/{tenant}/oauth2/v2.0/authorize');
    expect(providerRecords.outlook.oauth?.tokenUrl).toBe('https://login.microsoftonline.com/{tenant}/oauth2/v2.0/token');
    expect(providerRecords.outlook.oauth?.scopes).toEqual(['https://outlook.office.com/SMTP.Send', 'https://outlook.office.com/IMAP.AccessAsUser.All', 'offline_access']);
    expect(providerRecords.outlook.oauth?.deviceCodeUrl).toBe('https://login.microsoftonline.com/{tenant}/oauth2/v2.0/devicecode');
    expect(providerRecords.outlook.oauth?.sasl).toEqual({ smtp: 'XOAUTH2', imap: 'XOAUTH2' });
  });

  it('reads an unknown stored id as custom', () => {
    expect(providerRecord('nonesuch')).toBe(providerRecords.custom);
    expect(providerRecord('gmail')).toBe(providerRecords.gmail);
  });

  it('serves the mailbox presets from the records, in the records order', () => {
    expect(Object.keys(presets)).toEqual(Object.keys(providerRecords));
    expect(presets.outlook).toEqual({ provider: 'outlook', label: 'Microsoft 365 / Outlook.com', smtp: providerRecords.outlook.smtp, imap: providerRecords.outlook.imap, note: providerRecords.outlook.note });
  });

  it('lists the exact consumer domains (for counting mail to a provider), not the patterns', () => {
    expect(exactDomainsOf('gmail')).toEqual(['gmail.com', 'googlemail.com']);
    expect(exactDomainsOf('outlook')).toEqual([]);
  });
});

describe('recognition', () => {
  it('picks the record from an address', () => {
    const cases: Array<[string, string]> = [
      ['a@gmail.com', 'gmail'],
      ['a@hotmail.co.uk', 'outlook'],
      ['a@yahoo.co.jp', 'yahoo'],
      ['a@rocketmail.com', 'yahoo'],
      ['a@zohomail.eu', 'zoho'],
      ['a@example.com', 'custom'],
      ['a@gmail.com.evil.test', 'custom'],
    ];
    for (const [address, id] of cases) expect(providerOf(address), address).toBe(id);
  });

  it('picks the record from an MX host', () => {
    const cases: Array<[string, string]> = [
      ['aspmx.l.google.com', 'gmail'],
      ['ALT1.ASPMX.L.GOOGLE.COM.', 'gmail'],
      ['gmail-smtp-in.l.google.com', 'gmail'],
      ['example-com.mail.protection.outlook.com', 'outlook'],
      ['hotmail-com.olc.protection.outlook.com', 'outlook'],
      ['mta7.am0.yahoodns.net', 'yahoo'],
      ['mx.zoho.eu', 'zoho'],
      ['mx2.zoho.com', 'zoho'],
      ['mx.example.com', 'custom'],
      ['google.com.evil.test', 'custom'],
      ['notgoogle.com', 'custom'],
    ];
    for (const [host, id] of cases) expect(providerOfMx(host), host).toBe(id);
  });
});
