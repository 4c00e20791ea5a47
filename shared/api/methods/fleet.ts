// The fleet: every mailbox with its state and today's figures, and the activity log.
import { z } from 'zod';
import { method } from '../define';
import { fleet } from '../../domain/fleet';

export const fleetMethods = {
  'fleet.get': method({
    http: { method: 'GET', path: '/fleet' },
    scope: 'read',
    summary: "Every mailbox's state, today's numbers and 7-day inbox rate, and the alerts to look at",
    input: z.object({}),
    output: fleet,
  }),
};
