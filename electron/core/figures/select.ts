// What each figure counts, written once (docs/FIGURES.md lists every figure with its function).
// Placement and outcome figures count ALL Kiln mail a mailbox sent (warmup, replies, API sends,
// placement tests, broadcasts): a mailbox's reputation is built by all of it, and the closed loop
// reacts to all of it. Mail belongs to the day and the window of the moment it was sent.
// The warmup ramp's figures (target, planned, sent against the plan) count warmup mail by plan day.
import { addDays, zonedTime } from '../../../shared/warmup/calendar';

/** Where a message landed for one readable recipient. `missing`: never seen in time (not a placement). */
export interface PlacementCounts {
  inbox: number;
  spam: number;
  /** A tab or folder that is neither the inbox nor spam (Gmail's Promotions...). */
  other: number;
  missing: number;
}

/** What became of the mail sent (a message counts once, by its final status). */
export interface OutcomeCounts {
  /** Accepted by the mailbox's server (sent_at set): delivered, bounced later or complained about. */
  sent: number;
  delivered: number;
  bounced: number;
  complained: number;
}

export const noPlacements = (): PlacementCounts => ({ inbox: 0, spam: 0, other: 0, missing: 0 });
export const noOutcomes = (): OutcomeCounts => ({ sent: 0, delivered: 0, bounced: 0, complained: 0 });

/** Placements Kiln could read: inbox, spam or another folder (missing mail is not a placement). */
export const placementsRead = (c: PlacementCounts): number => c.inbox + c.spam + c.other;

/** Inbox share of the placements read; null when none was read. */
export const inboxShareOf = (c: PlacementCounts): number | null => {
  const read = placementsRead(c);
  return read === 0 ? null : c.inbox / read;
};

// SQL sums over `message_placements p` and `messages m`, shared by every read below.
export const PLACEMENT_SUMS = `coalesce(sum(p.placement = 'inbox'), 0) AS inbox, coalesce(sum(p.placement = 'spam'), 0) AS spam,
  coalesce(sum(p.placement NOT IN ('inbox', 'spam', 'missing')), 0) AS other, coalesce(sum(p.placement = 'missing'), 0) AS missing`;
export const outcomeSums = (sentAs = 'sent'): string => `coalesce(sum(m.sent_at IS NOT NULL), 0) AS ${sentAs}, coalesce(sum(m.status = 'sent'), 0) AS delivered,
  coalesce(sum(m.status = 'bounced'), 0) AS bounced, coalesce(sum(m.status = 'complained'), 0) AS complained`;

/** The time zone a mailbox's days are counted in: its warmup ramp's, else its own. */
export const FIGURE_TZ = `coalesce(json_extract(w.ramp, '$.timeZone'), b.time_zone)`;

/** One local day as an instant range [start, end). */
export interface DayWindow {
  day: string;
  start: number;
  end: number;
}

export function dayWindow(day: string, timeZone: string): DayWindow {
  return { day, start: zonedTime(day, '00:00', timeZone), end: zonedTime(addDays(day, 1), '00:00', timeZone) };
}

export function dayWindows(from: string, to: string, timeZone: string): DayWindow[] {
  const out: DayWindow[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) out.push(dayWindow(d, timeZone));
  return out;
}
