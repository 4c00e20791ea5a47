// Recipients: pool members, seeds and contacts, CSV import and export.
import { z } from 'zod';
import { method } from '../define';
import { importReport, recipient, recipientListKinds } from '../../domain/recipient';
import { id, email, cursorPage, limit } from './common';

export const recipientsMethods = {
  'recipients.list': method({
    http: { method: 'GET', path: '/recipients' },
    scope: 'read',
    summary: 'Seeds and contacts, newest first; `q` matches the address or name',
    input: z.object({
      kind: z.enum(recipientListKinds).optional(),
      q: z.string().trim().max(200).optional(),
      limit,
      cursor: z.string().max(200).optional(),
    }),
    output: cursorPage(recipient).extend({ total: z.number().int() }),
  }),
  'recipients.add': method({
    http: { method: 'POST', path: '/recipients', status: 201 },
    scope: 'admin',
    summary: 'Add one seed or contact',
    input: z.object({ kind: z.enum(recipientListKinds), address: email, name: z.string().trim().max(200).optional() }),
    output: recipient,
  }),
  'recipients.import': method({
    http: { method: 'POST', path: '/recipients/import' },
    scope: 'admin',
    summary:
      'Import seeds or contacts from CSV (an `email` column; the name from `name`, or from `first_name` / `last_name` and their usual spellings): ' +
      'every valid row in one transaction, every skipped row reported with its line, the columns not read listed; `dryRun` reports without writing',
    input: z.object({
      kind: z.enum(recipientListKinds),
      csv: z.string().min(1).max(5_000_000),
      dryRun: z.boolean().default(false),
      /** Chosen by the caller: `recipients.importProgress` events carry it. */
      importId: z.string().min(1).max(64).optional(),
    }),
    output: importReport,
  }),
  'recipients.export': method({
    http: { method: 'GET', path: '/recipients/export' },
    scope: 'read',
    summary: 'Seeds and contacts as CSV (email, name, kind, provider, added)',
    input: z.object({ kind: z.enum(recipientListKinds).optional() }),
    output: z.object({ filename: z.string(), count: z.number().int(), csv: z.string() }),
  }),
  'recipients.remove': method({
    http: { method: 'DELETE', path: '/recipients/{id}' },
    scope: 'admin',
    summary: 'Remove a seed or contact',
    input: id,
    output: z.object({ id: z.string(), deleted: z.literal(true) }),
  }),
};
