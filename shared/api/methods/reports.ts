// Client reports: one workspace over a date range, as data, a self-contained HTML page, a PDF and CSV.
import { z } from 'zod';
import { method } from '../define';
import { report, reportRange, reportSettings, reportWeekly } from '../../domain/report';
import { timeZone } from './common';

export const reportsMethods = {
  'reports.get': method({
    http: { method: 'GET', path: '/reports' },
    scope: 'read',
    summary: "The workspace's client report for a date range (days in the report time zone): health, placement, warmup, authentication, blocklists, DMARC, bounces, alerts",
    input: reportRange,
    output: report,
  }),
  'reports.html': method({
    http: { method: 'GET', path: '/reports/html' },
    scope: 'read',
    summary: 'The report as one self-contained HTML document (inline CSS and SVG, no scripts, no remote resources)',
    input: reportRange,
    output: z.object({ filename: z.string(), html: z.string() }),
  }),
  'reports.pdf': method({
    http: { method: 'GET', path: '/reports/pdf' },
    scope: 'read',
    summary: 'The report as a PDF (base64); PDF_UNAVAILABLE when this process has no way to print',
    input: reportRange,
    output: z.object({ filename: z.string(), pdf: z.string() }),
  }),
  'reports.csv': method({
    http: { method: 'GET', path: '/reports/csv' },
    scope: 'read',
    summary: "The report's numbers as CSV: one row per mailbox and day",
    input: reportRange,
    output: z.object({ filename: z.string(), count: z.number().int(), csv: z.string() }),
  }),
  'reports.settings.get': method({
    http: { method: 'GET', path: '/reports/settings' },
    scope: 'read',
    summary: "The consultant's name and logo on reports, the report time zone and the weekly mail",
    input: z.object({}),
    output: reportSettings,
  }),
  'reports.settings.set': method({
    http: { method: 'PATCH', path: '/reports/settings' },
    scope: 'admin',
    summary: "Change the consultant's name or logo, the report time zone or the weekly mail",
    input: z.object({
      consultantName: reportSettings.shape.consultantName.optional(),
      logoDataUrl: reportSettings.shape.logoDataUrl.optional(),
      timeZone: timeZone.optional(),
      weekly: reportWeekly.partial().optional(),
    }),
    output: reportSettings,
  }),
};
