// The suppression list: addresses a workspace never sends to.
import { z } from 'zod';
import { method } from '../define';
import { suppression, suppressionImportReport, suppressionReasons } from '../../domain/suppression';
import { id, email, cursorPage, limit } from './common';

/** What narrows the list and the export: part of the address, and the reason. */
const filters = {
  /** A prefix or any part of the address, without case. */
  q: z.string().trim().max(320).optional(),
  reason: z.enum(suppressionReasons).optional(),
};

export const suppressionsMethods = {
  'suppressions.list': method({
    http: { method: 'GET', path: '/suppressions' },
    scope: 'read',
    summary: 'Addresses this workspace never sends to, searched by part of the address and filtered by reason',
    input: z.object({ limit, cursor: z.string().max(200).optional(), ...filters }),
    output: cursorPage(suppression),
  }),
  'suppressions.add': method({
    http: { method: 'POST', path: '/suppressions', status: 201 },
    scope: 'admin',
    summary: 'Suppress an address by hand',
    input: z.object({ address: email, detail: z.string().max(500).optional() }),
    output: suppression,
  }),
  'suppressions.import': method({
    http: { method: 'POST', path: '/suppressions/import' },
    scope: 'admin',
    summary:
      'Suppress addresses by hand from CSV (an `email` column; optional `detail`, and `reason` which may only be `manual`): ' +
      'every valid line in one transaction, every skipped line reported with its number; a file that is not CSV imports nothing',
    input: z.object({ csv: z.string().min(1).max(5_000_000) }),
    output: suppressionImportReport,
  }),
  'suppressions.export': method({
    http: { method: 'GET', path: '/suppressions/export' },
    scope: 'read',
    summary: 'The suppression list as CSV (email, reason, detail, message, added), with the same filters as the list',
    input: z.object(filters),
    output: z.object({ filename: z.string(), count: z.number().int(), csv: z.string() }),
  }),
  'suppressions.remove': method({
    http: { method: 'DELETE', path: '/suppressions/{id}' },
    scope: 'admin',
    summary: 'Remove a suppression',
    input: id,
    output: z.object({ id: z.string(), deleted: z.literal(true) }),
  }),
};
