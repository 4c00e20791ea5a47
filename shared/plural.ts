// Counts in words, everywhere Kiln writes one for people ("1 mailbox", "3 mailboxes"): never
// "1 mailboxes" or "mailbox(es)". English only, like every other string Kiln writes.
const rules = new Intl.PluralRules('en-US');
const numbers = new Intl.NumberFormat('en-US');

/** The word for `n`: `plural(1, 'mailbox', 'mailboxes')` → "mailbox". */
export function pluralWord(n: number, one: string, many: string): string {
  return rules.select(n) === 'one' ? one : many;
}

/** The count and its word: `plural(1200, 'row', 'rows')` → "1,200 rows". */
export function plural(n: number, one: string, many: string): string {
  return `${numbers.format(n)} ${pluralWord(n, one, many)}`;
}

/** Whole days since something, in words: "today", "yesterday", "3 days ago". */
export function daysAgo(days: number): string {
  if (days <= 0) return 'today';
  if (days === 1) return 'yesterday';
  return `${plural(days, 'day', 'days')} ago`;
}
