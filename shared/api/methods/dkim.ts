// DKIM signing keys and the check of their DNS records.
import { z } from 'zod';
import { method } from '../define';
import { dkimKey } from '../../domain/dkim';
import { id } from './common';

export const dkimMethods = {
  'dkim.list': method({
    http: { method: 'GET', path: '/dkim/keys' },
    scope: 'read',
    summary: 'DKIM signing keys of the workspace, with the TXT record to publish for each',
    input: z.object({}),
    output: z.array(dkimKey),
  }),
  'dkim.create': method({
    http: { method: 'POST', path: '/dkim/keys', status: 201 },
    scope: 'admin',
    summary: 'Sign mail from a domain: Kiln generates an RSA-2048 key (or imports yours); publish the returned TXT record. The key is pending, and signs nothing, until the record is seen in DNS',
    input: z.object({
      domain: z
        .string()
        .min(3)
        .max(253)
        .transform((d) => d.toLowerCase().replace(/\.$/, ''))
        .refine((d) => /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/.test(d), 'must be a domain name such as example.com'),
      selector: z
        .string()
        .regex(/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/i, 'letters, digits and dashes')
        .default('kiln'),
      /** PEM; omit to let Kiln generate the key. Never returned. */
      privateKey: z.string().max(20_000).optional(),
    }),
    output: dkimKey,
  }),
  'dkim.delete': method({
    http: { method: 'DELETE', path: '/dkim/keys/{id}' },
    scope: 'admin',
    summary: 'Stop signing mail from a domain and forget its key',
    input: id,
    output: z.object({ id: z.string(), deleted: z.literal(true) }),
  }),
  'dkim.check': method({
    http: { method: 'POST', path: '/dkim/keys/{id}/check' },
    scope: 'admin',
    summary: "Look up the key's TXT record now: once it publishes Kiln's key, the key turns active and mail is signed (pending keys are also re-checked every 10 minutes)",
    input: id,
    output: dkimKey,
  }),
};
