// Is this fit to send as warmup? Warmup only works when the mail is "innocent": no links,
// markup, images, addresses or sales talk. Applied to anything we did not write ourselves (LLM output).
import type { Content } from './types';

const TLDS = [
  'com', 'net', 'org', 'io', 'co', 'info', 'biz', 'me', 'app', 'dev', 'ai', 'xyz', 'us', 'uk', 'de', 'fr', 'nl', 'es',
  'it', 'pl', 'ru', 'cn', 'in', 'eu', 'ca', 'au', 'ly', 'gl', 'to', 'site', 'online', 'shop', 'store', 'link', 'click',
  'top', 'club', 'live', 'tech', 'email', 'cloud', 'page', 'gov', 'edu',
].join('|');

const EMAIL = /[^\s@<>()[\]"',;:]+@[a-z0-9-]+(\.[a-z0-9-]+)+/i;
const EMAILS = new RegExp(EMAIL.source, 'gi');

const checks: [RegExp, string][] = [
  [/\b(https?|ftp):\/\/|\bwww\./i, 'contains a link'],
  [new RegExp(`\\b[a-z0-9][a-z0-9-]*(\\.[a-z0-9-]+)*\\.(${TLDS})\\b(?![-@])`, 'i'), 'contains a domain name'],
  [/<\/?[a-z][a-z0-9]*(\s[^<>]*)?\/?>|&(nbsp|amp|lt|gt|quot|#\d+);/i, 'contains HTML'],
  [/!\[[^\]]*\]\(|\[(image|img)\b|\bcid:|\bdata:image\/|\.(png|jpe?g|gif|webp|svg|bmp)\b/i, 'contains an image'],
];

/** Words and phrases that make mail read like marketing or a scam; matched as whole words. */
const SPAM_WORDS = [
  'act now', 'buy now', 'order now', 'click here', 'click below', 'limited time', 'special offer', 'exclusive offer',
  'free gift', 'free trial', 'for free', '100% free', 'risk-free', 'risk free', 'no obligation', 'money back',
  'guarantee', 'guaranteed', 'winner', 'congratulations', 'prize', 'cash', 'discount', 'cheap', 'unsubscribe',
  'urgent', 'viagra', 'casino', 'crypto', 'bitcoin', 'investment', 'loan', 'credit card', 'lowest price',
  'best price', 'earn money', 'make money', 'double your', 'verify your account', 'password',
];
const SPAM = new RegExp(`(^|[^a-z])(${SPAM_WORDS.map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')})(?![a-z])`, 'i');

/**
 * The text above any quoted original: a line "On …, … wrote:" followed by "> " lines and those lines
 * themselves are the answered message, where addresses are expected.
 */
export function ownText(text: string): string {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  return lines
    .filter((l, i) => !l.startsWith('>') && !(/\bwrote:\s*$/.test(l) && (lines[i + 1] ?? '').startsWith('>')))
    .join('\n')
    .trim();
}

/** Null when the content is fit for warmup, else why not. */
export function checkContent(c: Content): string | null {
  const subject = c.subject.trim();
  if (subject.length < 1 || subject.length > 120) return 'subject must be 1-120 characters';
  if (/[\r\n]/.test(c.subject)) return 'subject has a line break';
  const own = ownText(c.text);
  if (own.length < 20) return 'body is too short';
  if (own.length > 3000) return 'body is too long';
  if (EMAIL.test(`${subject}\n${own}`)) return 'contains an email address';
  // Addresses are fine in the quote, but their domains must not count as bare domain names.
  const all = `${subject}\n${c.text}`.replace(EMAILS, ' ');
  for (const [re, reason] of checks) if (re.test(all)) return reason;
  const m = SPAM.exec(`${subject}\n${own}`);
  if (m) return `contains a spam trigger ("${m[2]!.toLowerCase()}")`;
  if (/!{2,}|\?{2,}/.test(`${subject}\n${own}`) || (own.match(/!/g)?.length ?? 0) > 2) return 'too many exclamation marks';
  if (/\b[A-Z]{3,}(\s+[A-Z]{3,}){1,}\b/.test(`${subject}\n${own}`) || /^[^a-z]*[A-Z]{6,}[^a-z]*$/.test(subject)) return 'shouting (all capitals)';
  return null;
}
