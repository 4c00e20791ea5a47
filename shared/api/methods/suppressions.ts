// The suppression list: addresses a workspace never sends to.
import { z } from 'zod';
import { method } from '../define';
import { suppression } from '../../domain/suppression';
import { id, email, cursorPage, limit } from './common';

export const suppressionsMethods = {
  'suppressions.list': method({
    http: { method: 'GET', path: '/suppressions' },
    scope: 'read',
    summary: 'Addresses this workspace never sends to',
    input: z.object({ limit, cursor: z.string().max(200).optional() }),
    output: cursorPage(suppression),
  }),
  'suppressions.add': method({
    http: { method: 'POST', path: '/suppressions', status: 201 },
    scope: 'admin',
    summary: 'Suppress an address by hand',
    input: z.object({ address: email, detail: z.string().max(500).optional() }),
    output: suppression,
  }),
  'suppressions.remove': method({
    http: { method: 'DELETE', path: '/suppressions/{id}' },
    scope: 'admin',
    summary: 'Remove a suppression',
    input: id,
    output: z.object({ id: z.string(), deleted: z.literal(true) }),
  }),
};
