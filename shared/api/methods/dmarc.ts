// DMARC aggregate reports and their ingestion.
import { z } from 'zod';
import { method } from '../define';
import { dmarcIngestResult, dmarcReport, dmarcReportWithRecords, dmarcSettings, dmarcSummary } from '../../domain/dmarc';
import { id, cursorPage, limit } from './common';

const dmarcFolder = z
  .string()
  .trim()
  .min(1)
  .max(200)
  .refine((s) => !/[*%]/.test(s) && [...s].every((c) => c >= ' ' && c !== '\u007f'), 'must not contain control characters, * or %');

const dmarcDomain = z
  .string()
  .trim()
  .max(253)
  .transform((s) => s.toLowerCase().replace(/\.$/, ''))
  .refine((s) => /^[a-z0-9-]+(\.[a-z0-9-]+)*$/.test(s), 'must be a domain name such as example.com');

export const dmarcMethods = {
  'dmarc.settings.get': method({
    http: { method: 'GET', path: '/dmarc/settings' },
    scope: 'read',
    summary: 'DMARC reports mailbox: which mailbox and folders, the schedule, and the last run',
    input: z.object({}),
    output: dmarcSettings,
  }),
  'dmarc.settings.update': method({
    http: { method: 'PATCH', path: '/dmarc/settings' },
    scope: 'admin',
    summary: 'Choose the reports mailbox (a Kiln mailbox with IMAP), its folders (`/` between levels) and the schedule',
    input: z.object({
      mailboxId: z.string().min(1).max(64).nullable().optional(),
      folder: dmarcFolder.optional(),
      processedFolder: dmarcFolder.optional(),
      failedFolder: dmarcFolder.optional(),
      schedule: z.boolean().optional(),
      intervalMinutes: z.number().int().min(5).max(1440).optional(),
    }),
    output: dmarcSettings,
  }),
  'dmarc.ingest': method({
    http: { method: 'POST', path: '/dmarc/ingest' },
    scope: 'admin',
    summary: 'Read the reports mailbox now: new reports are stored and their mail moved to the processed folder, refused ones to the failed folder',
    input: z.object({}),
    output: dmarcIngestResult,
  }),
  'dmarc.upload': method({
    http: { method: 'POST', path: '/dmarc/reports', status: 201 },
    scope: 'admin',
    summary: 'Store a report file (zip, gzip or XML, base64) received some other way; the same report twice is stored once',
    input: z.object({
      content: z.string().min(1).max(8_000_000),
      filename: z.string().trim().max(255).optional(),
      contentType: z.string().trim().max(100).optional(),
    }),
    output: z.object({ duplicate: z.boolean(), report: dmarcReport }),
  }),
  'dmarc.reports': method({
    http: { method: 'GET', path: '/dmarc/reports' },
    scope: 'read',
    summary: 'Stored DMARC aggregate reports, newest first',
    input: z.object({ domain: dmarcDomain.optional(), limit, cursor: z.string().max(200).optional() }),
    output: cursorPage(dmarcReport),
  }),
  'dmarc.reports.get': method({
    http: { method: 'GET', path: '/dmarc/reports/{id}' },
    scope: 'read',
    summary: 'One DMARC report with its rows (source IP, count, results; at most 5,000)',
    input: id,
    output: dmarcReportWithRecords,
  }),
  'dmarc.summary': method({
    http: { method: 'GET', path: '/dmarc/summary' },
    scope: 'read',
    summary: 'DMARC pass rates (aligned DKIM or SPF) per From domain, per source IP and per day; `domain` includes its subdomains',
    input: z.object({ domain: dmarcDomain.optional(), days: z.coerce.number().int().min(1).max(366).default(30) }),
    output: dmarcSummary,
  }),
};
