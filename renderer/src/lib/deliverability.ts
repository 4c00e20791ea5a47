// Words and tones for the deliverability screens, in one place so every screen says the same.
import type { AuthCheckName, CheckStatus } from '../../../shared/domain/auth-check';
import type { BlocklistResult } from '../../../shared/domain/blocklist';
import type { SeedPlacement } from '../../../shared/domain/placement-test';

/** How a status reads at a glance (the Pill component's colour); always shown with its word. */
export type Tone = 'good' | 'warn' | 'bad' | 'info' | 'neutral';

export const checkLabels: Record<AuthCheckName, string> = { spf: 'SPF', dkim: 'DKIM', dmarc: 'DMARC', mx: 'MX', ptr: 'PTR', mtaSts: 'MTA-STS', tlsRpt: 'TLS-RPT', bimi: 'BIMI' };

/** What each check asks, for the detail view. */
export const checkAbout: Record<AuthCheckName, string> = {
  spf: 'Which servers may send for the domain',
  dkim: 'The public keys receivers verify signatures with',
  dmarc: 'What receivers do with mail that fails, and where reports go',
  mx: 'Where mail to the domain is delivered (bounces and replies come back here)',
  ptr: 'The sending IP names itself, and that name points back to it',
  mtaSts: 'Receivers of mail to the domain must use TLS',
  tlsRpt: 'Where TLS failure reports go',
  bimi: 'The brand logo some inboxes show',
};

const checkWords: Record<CheckStatus, [Tone, string]> = {
  pass: ['good', 'Pass'],
  warn: ['warn', 'Warning'],
  fail: ['bad', 'Fail'],
  error: ['bad', 'Error'],
  none: ['neutral', 'None'],
};
export const checkTone = (s: CheckStatus): Tone => checkWords[s][0];
export const checkWord = (s: CheckStatus): string => checkWords[s][1];

/** What the list said: the meanings of a listing, or why there is no verdict. */
export function blocklistMeaning(r: BlocklistResult): string {
  if (r.status === 'error') return r.error ? `${r.error.message} (${r.error.code})` : 'No answer';
  if (r.status === 'listed') return r.codes.map((c) => `${c.code}: ${c.meaning}`).join('; ');
  return 'Not listed';
}

const placementWords: Record<SeedPlacement, [Tone, string]> = {
  inbox: ['good', 'Inbox'],
  spam: ['bad', 'Spam'],
  other: ['info', 'Other tab or folder'],
  missing: ['bad', 'Missing'],
  pending: ['neutral', 'Waiting'],
  unreadable: ['neutral', 'Not readable'],
  failed: ['bad', 'Send failed'],
};
export const placementTone = (p: SeedPlacement): Tone => placementWords[p][0];
export const placementWord = (p: SeedPlacement): string => placementWords[p][1];

/** An authentication result of a received copy (pass, fail, softfail, none...). */
export function authResultTone(result: string): Tone {
  if (result === 'pass') return 'good';
  if (result === 'fail' || result === 'permerror') return 'bad';
  if (result === 'softfail' || result === 'temperror' || result === 'policy') return 'warn';
  return 'neutral';
}

/** A percentage the core already rounded (94.3), or a dash. */
export const formatPct = (pct: number | null): string => (pct === null ? '—' : `${pct} %`);

export const weekdays = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
