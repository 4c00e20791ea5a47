import { z } from 'zod';
import { mailboxError, mailboxStatuses, providers, type MailboxStatus } from './mailbox';
import { warmupStates } from './warmup';

/**
 * What a fleet row shows as its one state, most urgent first: a mailbox in error, then paused
 * (the mailbox or its warmup), then warmup switched off, then the closed loop's state.
 */
export const fleetStates = ['error', 'paused', 'throttled', 'holding', 'warming', 'off'] as const;
export type FleetState = (typeof fleetStates)[number];

/** The words every face (Mailboxes screen, `kiln mailbox list`) uses for a fleet state. */
export const fleetStateLabels: Record<FleetState, string> = {
  error: 'Error',
  paused: 'Paused',
  throttled: 'Throttled',
  holding: 'Holding',
  warming: 'Warming',
  off: 'Warmup off',
};

/** Today's figures (docs/FIGURES.md): the warmup ramp's by plan day, all Kiln mail's by the day it was sent. */
export const todayFigures = z.object({
  target: z.number().int().describe('Warmup mail wanted today'),
  planned: z.number().int().describe('Warmup mail planned or waiting to be sent'),
  sent: z.number().int().describe('Warmup mail the server accepted, against the target'),
  mailSent: z.number().int().describe('All Kiln mail the server accepted today'),
  inbox: z.number().int(),
  spam: z.number().int(),
  other: z.number().int(),
  bounced: z.number().int(),
  complained: z.number().int(),
});
export type TodayFigures = z.infer<typeof todayFigures>;

/** One mailbox as the Overview and the Mailboxes table show it: identity, state and today's numbers. */
export const fleetRow = z.object({
  id: z.string(),
  email: z.string(),
  displayName: z.string().nullable(),
  provider: z.enum(providers),
  status: z.enum(mailboxStatuses),
  lastError: mailboxError.nullable(),
  readable: z.boolean().describe('Has IMAP settings: Kiln can see where mail lands in it'),
  state: z.enum(fleetStates),
  warmup: z.object({
    enabled: z.boolean(),
    state: z.enum(warmupStates),
    reason: z.string().nullable(),
    reasonCode: z.string().nullable(),
    until: z.string().nullable(),
    progress: z.number().int(),
  }),
  today: todayFigures.extend({ day: z.string().describe("Today in the mailbox's figure time zone (its ramp's, else its own)") }),
  /** Share of the placements read in the inbox, all Kiln mail sent in the last 7 days (null: nothing read yet). */
  inboxRate7d: z.number().min(0).max(1).nullable(),
});
export type FleetRow = z.infer<typeof fleetRow>;

export const alertSeverities = ['critical', 'warning', 'info'] as const;

/** Something a person should look at, with the reason in plain words. */
export const fleetAlert = z.object({
  mailboxId: z.string(),
  email: z.string(),
  severity: z.enum(alertSeverities),
  code: z.string(),
  reason: z.string(),
  since: z.string().nullable(),
});
export type FleetAlert = z.infer<typeof fleetAlert>;

export const fleet = z.object({
  mailboxes: z.array(fleetRow),
  /** The rows' today figures summed (each mailbox's own today): what the Overview shows. */
  totals: todayFigures,
  alerts: z.array(fleetAlert),
});
export type Fleet = z.infer<typeof fleet>;

/** One line of a mailbox's activity log: an event on a message it sent. */
export const activityItem = z.object({
  id: z.number().int(),
  at: z.string(),
  type: z.string(),
  messageId: z.string(),
  kind: z.string(),
  subject: z.string(),
  /** Recipient, placement, error code…: the event's data, as stored. */
  data: z.record(z.string(), z.unknown()),
});
export type ActivityItem = z.infer<typeof activityItem>;

/** The one state a fleet row shows (see fleetStates for the order). */
export function fleetStateOf(mailboxStatus: MailboxStatus, warmup: { enabled: boolean; state: (typeof warmupStates)[number] }): FleetState {
  if (mailboxStatus === 'error') return 'error';
  if (mailboxStatus === 'paused' || warmup.state === 'paused') return 'paused';
  if (!warmup.enabled) return 'off';
  return warmup.state;
}
