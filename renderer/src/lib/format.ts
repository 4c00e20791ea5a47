// Display formatting in one place, so every screen shows numbers and times the same way.
const numberFormat = new Intl.NumberFormat();
const percentFormat = new Intl.NumberFormat(undefined, { style: 'percent', maximumFractionDigits: 0 });
const dateTimeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const dateTimeSeconds = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
const shortDay = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', timeZone: 'UTC' });

export const formatNumber = (n: number): string => numberFormat.format(n);
export const formatPercent = (share: number | null): string => (share === null ? '—' : percentFormat.format(share));
/** A moment in the viewer's time zone; `seconds` for logs where events come seconds apart. */
export const formatDateTime = (iso: string | null, seconds = false): string => (iso ? (seconds ? dateTimeSeconds : dateTimeFormat).format(new Date(iso)) : '—');
/** A local day (YYYY-MM-DD) as a short label, e.g. "Nov 23". */
export const formatDay = (day: string): string => shortDay.format(new Date(`${day}T00:00:00Z`));

/** "in 3 h", "5 min ago": for state end times and last events. */
export function formatRelative(iso: string | null, now = Date.now()): string {
  if (!iso) return '—';
  const diff = new Date(iso).getTime() - now;
  const rtf = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });
  const abs = Math.abs(diff);
  if (abs < 60_000) return rtf.format(Math.round(diff / 1000), 'second');
  if (abs < 3_600_000) return rtf.format(Math.round(diff / 60_000), 'minute');
  if (abs < 86_400_000) return rtf.format(Math.round(diff / 3_600_000), 'hour');
  return rtf.format(Math.round(diff / 86_400_000), 'day');
}
