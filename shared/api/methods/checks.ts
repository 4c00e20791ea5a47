// Domain checks (SPF, DKIM, DMARC, MX, PTR...), the health score and bulk-sender compliance.
import { z } from 'zod';
import { method } from '../define';
import { domainCompliance, mailboxHealth } from '../../domain/health';
import { authDomainSummary, authHistoryPoint, authReport, learnedHeaders, mailboxChecks, normalizeDomain } from '../../domain/auth-check';
import { id } from './common';

// A domain for the DNS checks: lower-cased, IDNs in xn-- form, no trailing dot.
const authDomain = z
  .string()
  .min(1)
  .max(253)
  .transform((s, ctx) => {
    const d = normalizeDomain(s);
    if (d === null) ctx.addIssue({ code: 'custom', message: 'must be a domain name such as example.com (internationalised names in their xn-- form)' });
    return d ?? '';
  });

const dkimSelector = z.string().trim().toLowerCase().regex(/^[a-z0-9](?:[a-z0-9._-]{0,62})$/, 'must be a DKIM selector such as s1 or google');

export const checksMethods = {
  'checks.domain': method({
    http: { method: 'POST', path: '/checks/domains/{domain}' },
    scope: 'send',
    summary:
      'Check the DNS authentication of a domain now: SPF (tree, lookup and void counts), DKIM, DMARC (policy, alignment, reports), MX, ' +
      'PTR/FCrDNS of the sending IP, MTA-STS, TLS-RPT, BIMI. The selectors and IP given are remembered for the domain; IP, selectors and identifiers ' +
      'default to what Kiln learned from received mail',
    input: z.object({
      domain: authDomain,
      ip: z.union([z.ipv4(), z.ipv6()]).optional(),
      selectors: z.array(dkimSelector).max(10).optional(),
      /** The MAIL FROM (Return-Path) domain its mail uses, for DMARC SPF alignment. */
      envelopeDomain: authDomain.optional(),
      /** The d= domains of its DKIM signatures, for DMARC DKIM alignment. */
      dkimDomains: z.array(authDomain).max(5).optional(),
    }),
    output: authReport,
  }),
  'checks.domainLatest': method({
    http: { method: 'GET', path: '/checks/domains/{domain}' },
    scope: 'read',
    summary: 'The latest DNS authentication report of a domain',
    input: z.object({ domain: authDomain }),
    output: authReport,
  }),
  'checks.domainHistory': method({
    http: { method: 'GET', path: '/checks/domains/{domain}/history' },
    scope: 'read',
    summary: "A domain's check runs, oldest first: time, overall status and status per check (for charts)",
    input: z.object({ domain: authDomain, days: z.coerce.number().int().min(1).max(400).default(90) }),
    output: z.array(authHistoryPoint),
  }),
  'checks.domains': method({
    http: { method: 'GET', path: '/checks/domains' },
    scope: 'read',
    summary: "Every domain of the workspace's mailboxes, and every domain checked, with its latest status per check",
    input: z.object({}),
    output: z.array(authDomainSummary),
  }),
  'checks.mailbox': method({
    http: { method: 'GET', path: '/mailboxes/{id}/checks' },
    scope: 'read',
    summary: "A mailbox's domain's latest DNS authentication report and the sending IP its mail was seen from",
    input: id,
    output: mailboxChecks,
  }),
  'checks.learnHeaders': method({
    http: { method: 'POST', path: '/checks/headers' },
    scope: 'send',
    summary:
      'Learn from the headers of a message received from a domain: its DKIM selectors and signing domains, its envelope domain, ' +
      'and its sending IP (Received headers); later checks use them',
    input: z.object({ headers: z.string().min(1).max(262_144), mailboxId: z.string().min(1).max(64).optional() }),
    output: learnedHeaders,
  }),
  'health.mailbox': method({
    http: { method: 'GET', path: '/mailboxes/{id}/health' },
    scope: 'read',
    summary: "A mailbox's health score now, its parts (placement, authentication, blocklists, bounces, placement test) and the daily scores",
    input: z.object({ id: z.string().min(1).max(64), days: z.coerce.number().int().min(1).max(365).default(30) }),
    output: mailboxHealth,
  }),
  'health.compliance': method({
    http: { method: 'GET', path: '/compliance' },
    scope: 'read',
    summary: 'Each sending domain against the Gmail / Yahoo / Microsoft bulk-sender rules',
    input: z.object({}),
    output: z.array(domainCompliance),
  }),
};
