// Inbox placement tests against seeds.
import { z } from 'zod';
import { method } from '../define';
import { placementSchedule, placementTest } from '../../domain/placement-test';
import { id, email, timeZone, cursorPage, limit } from './common';

export const placementTestsMethods = {
  'placementTests.create': method({
    http: { method: 'POST', path: '/placement-tests', status: 201 },
    scope: 'send',
    summary: "Send one message from a mailbox to each seed and report where each copy lands (your content, or a warmup sample)",
    input: z.object({
      mailboxId: z.string().min(1).max(64),
      /** Default: every seed of the workspace. */
      seeds: z.array(email).min(1).max(500).optional(),
      subject: z.string().min(1).max(998).optional(),
      text: z.string().max(2_000_000).optional(),
      html: z.string().max(2_000_000).optional(),
      /** Seeds not seen by then are missing. */
      timeLimitMinutes: z.coerce.number().int().min(1).max(24 * 60).default(30),
    }),
    output: placementTest,
  }),
  'placementTests.get': method({
    http: { method: 'GET', path: '/placement-tests/{id}' },
    scope: 'read',
    summary: 'A placement test: per seed where it landed and how the received copy authenticated; totals per provider',
    input: id,
    output: placementTest,
  }),
  'placementTests.list': method({
    http: { method: 'GET', path: '/placement-tests' },
    scope: 'read',
    summary: 'Placement tests, newest first',
    input: z.object({ limit, cursor: z.string().max(200).optional() }),
    output: cursorPage(placementTest),
  }),
  'placementTests.export': method({
    http: { method: 'GET', path: '/placement-tests/{id}/export' },
    scope: 'read',
    summary: 'A placement test as CSV (seed, provider, placement, folder, seen at, spf, dkim, dmarc, sending IP)',
    input: id,
    output: z.object({ filename: z.string(), count: z.number().int(), csv: z.string() }),
  }),
  'placementTests.schedule.get': method({
    http: { method: 'GET', path: '/placement-tests/schedule' },
    scope: 'read',
    summary: 'The weekly placement test: on or off, which mailbox, which day and hour',
    input: z.object({}),
    output: placementSchedule,
  }),
  'placementTests.schedule.update': method({
    http: { method: 'PATCH', path: '/placement-tests/schedule' },
    scope: 'admin',
    summary: 'Run a placement test every week from a mailbox to the seeds',
    input: z.object({
      enabled: z.boolean().optional(),
      mailboxId: z.string().min(1).max(64).nullable().optional(),
      weekday: z.number().int().min(0).max(6).optional(),
      hour: z.number().int().min(0).max(23).optional(),
      timeZone: timeZone.optional(),
    }),
    output: placementSchedule,
  }),
};
