// First names for greetings and sign-offs. A wrong name ("Hi Info,", "Hi Jsmith,") reads worse than
// none, so anything doubtful yields null and the corpus uses its unnamed greeting.

/** Role and system words that are never a person's name (local parts and display names). */
const NOT_NAMES = new Set(
  [
    'info', 'admin', 'administrator', 'noreply', 'no', 'reply', 'donotreply', 'support', 'sales', 'contact',
    'hello', 'hi', 'office', 'team', 'mail', 'email', 'postmaster', 'webmaster', 'hostmaster', 'abuse',
    'billing', 'accounts', 'accounting', 'finance', 'hr', 'jobs', 'careers', 'marketing', 'news',
    'newsletter', 'notifications', 'notification', 'alerts', 'service', 'services', 'help', 'helpdesk',
    'enquiries', 'inquiries', 'root', 'test', 'user', 'mailer', 'daemon', 'system', 'bounce', 'bounces',
    'orders', 'invoices', 'reception', 'general', 'warmup', 'kiln', 'the', 'dr', 'mr', 'mrs', 'ms', 'prof',
  ],
);

/** Two-consonant starts that English names commonly have (Chris, Stefan); others ("jsmith") are initials. */
const ONSETS = new Set(
  'bl br ch cl cr dr fl fr gl gr kl kr ph pl pr sc sh sk sl sm sn sp st sw th tr tw wh wr'.split(' '),
);

const VOWELS = /[aeiouy]/;

function tidy(word: string): string {
  // Keep deliberate capitals (McKenzie); fix all-lower or all-upper words.
  if (word === word.toLowerCase() || word === word.toUpperCase()) {
    return word.toLowerCase().replace(/(^|[-'])(\p{L})/gu, (_m, sep: string, c: string) => sep + c.toUpperCase());
  }
  return word;
}

function plausible(word: string): boolean {
  return /^\p{L}[\p{L}'-]*\p{L}$/u.test(word) && word.length <= 20 && !NOT_NAMES.has(word.toLowerCase());
}

function fromDisplayName(name: string): string | null {
  let n = name.replace(/["“”]/g, '').trim();
  if (!n || /[@\d]/.test(n)) return null;
  // "Kowalska, Anna" → "Anna".
  const comma = n.split(',');
  if (comma.length === 2 && comma[1]!.trim()) n = comma[1]!.trim();
  const words = n.split(/\s+/).filter((w) => !/^(dr|mr|mrs|ms|prof)\.?$/i.test(w));
  if (words.some((w) => NOT_NAMES.has(w.toLowerCase()))) return null; // "Support Team", "Kiln Admin"
  const first = words[0];
  return first && plausible(first) ? tidy(first) : null;
}

function fromLocalPart(address: string): string | null {
  const at = address.lastIndexOf('@');
  const local = (at >= 0 ? address.slice(0, at) : address).replace(/\+.*$/, '').toLowerCase();
  if (/\d/.test(local)) return null;
  const parts = local.split(/[._-]+/).filter(Boolean);
  const first = parts[0];
  if (!first || !/^[a-z]+$/.test(first) || !plausible(first)) return null;
  if (parts.length > 1) return first.length >= 2 ? tidy(first) : null; // anna.kowalska; not j.smith
  // A bare local part is a name only when it looks like one (anna, chris), not initials + surname (jsmith).
  if (first.length < 3 || first.length > 10) return null;
  if (!VOWELS.test(first.slice(0, 4))) return null;
  if (!VOWELS.test(first[0]!) && !VOWELS.test(first[1]!) && !ONSETS.has(first.slice(0, 2))) return null;
  return tidy(first);
}

/** A first name from a display name, else from an address like `anna.kowalska@…`, else null. */
export function firstName(name: string | null | undefined, address: string): string | null {
  return (name ? fromDisplayName(name) : null) ?? fromLocalPart(address);
}
