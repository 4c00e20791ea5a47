/** How a receiving mailbox treats Kiln mail: each rate is a probability from 0 to 1. */
export interface EngagementSettings {
  /** Move mail found in spam to the inbox (marked not-junk where the server supports it). */
  rescue: number;
  /** Mark as read. */
  open: number;
  /** Flag / mark important. */
  flag: number;
  /** Reply in thread, from the receiving mailbox through its own SMTP. */
  reply: number;
  /** Where engaged mail goes afterwards: stays put, or into a folder of its own. */
  filing: { mode: 'none' } | { mode: 'folder'; folder: string };
  /** Random wait between the first sighting and the actions, like a person reading later. */
  dwellMs: [number, number];
  /** Filed copies are deleted after this long, so quota-limited mailboxes never fill up. */
  retentionMs: number;
  /** A message to a readable mailbox not seen there after this long is `missing`. */
  missingAfterMs: number;
}

// Until per-mailbox ramp settings exist (warmup issue), every mailbox uses these.
export const defaultEngagement: EngagementSettings = {
  rescue: 1,
  open: 0.9,
  flag: 0.3,
  reply: 0.3,
  filing: { mode: 'none' },
  dwellMs: [30_000, 300_000],
  retentionMs: 14 * 86_400_000,
  missingAfterMs: 4 * 3_600_000,
};

/** Drawn once, at the first sighting, and stored: a restart or a second pass never redraws it. */
export interface EngagementPlan {
  rescue: boolean;
  open: boolean;
  flag: boolean;
  reply: boolean;
  file: string | null;
}

/** The plan of mail Kiln may not engage with: its placement is recorded, nothing else. */
export const noPlan: EngagementPlan = { rescue: false, open: false, flag: false, reply: false, file: null };

export function drawPlan(s: EngagementSettings, placement: string, kind: string, random: () => number = Math.random): EngagementPlan {
  // A placement-test seed only looks: rescuing or opening would teach the provider and skew the next test.
  if (kind === 'placement') return { rescue: false, open: false, flag: false, reply: false, file: s.filing.mode === 'folder' ? s.filing.folder : null };
  return {
    rescue: placement === 'spam' && random() < s.rescue,
    open: random() < s.open,
    flag: random() < s.flag,
    // A reply is answered by nobody: two Kiln mailboxes must not talk to each other forever.
    reply: kind !== 'reply' && random() < s.reply,
    file: s.filing.mode === 'folder' ? s.filing.folder : null,
  };
}

export function dwell(s: EngagementSettings, random: () => number = Math.random): number {
  const [min, max] = s.dwellMs;
  return Math.round(min + random() * Math.max(0, max - min));
}
