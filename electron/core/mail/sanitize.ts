// Scrubbing credentials out of server text and error messages before they are shown or logged.

const MAX_MESSAGE_LENGTH = 400;
/** SASL mechanisms whose initial response (credentials) may follow "AUTH <mechanism>" in an echoed command. */
const SASL_MECHANISMS = 'PLAIN|LOGIN|CRAM-MD5|DIGEST-MD5|XOAUTH2|OAUTHBEARER|SCRAM-SHA-\\d+(?:-PLUS)?|NTLM|GSSAPI|EXTERNAL|ANONYMOUS';

function base64(s: string): string {
  return Buffer.from(s, 'utf8').toString('base64');
}

function looksLikeCredentials(token: string, secrets: readonly string[]): boolean {
  if (token.length % 4 !== 0) return false;
  let decoded: string;
  try {
    decoded = Buffer.from(token, 'base64').toString('utf8');
  } catch {
    return false;
  }
  if (decoded.includes('\0')) return true; // SASL PLAIN: authzid \0 user \0 password
  if (secrets.some((s) => s.length >= MIN_SECRET_LENGTH && decoded.includes(s))) return true;
  // A random-looking blob (both cases and a digit, or padding) is treated as encoded credentials.
  return token.endsWith('=') || (/[a-z]/.test(token) && /[A-Z]/.test(token) && /\d/.test(token));
}

/** A value shorter than this is not redacted by value: it would cut into ordinary words and host names (a password
 *  "x" turned "smtp.nonexistent.invalid" into "smtp.none[redacted]istent.invalid"), and no such value is a secret worth
 *  the name. Credentials echoed in protocol text are still stripped by the AUTH/LOGIN and base64 rules. */
export const MIN_SECRET_LENGTH = 8;

// Private-use characters around an index: stand-ins for kept strings while the rules run.
const KEEP_OPEN = '\uE000';
const KEEP_CLOSE = '\uE001';

function occurrences(text: string, needle: string): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (let i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) out.push([i, i + needle.length]);
  return out;
}

/** Cuts each long-enough secret (and its base64) out of the text, except where it lies inside a kept string. */
function redactValues(text: string, secrets: readonly string[], kept: readonly string[]): string {
  const keptAt = kept.flatMap((k) => occurrences(text, k));
  const cuts = secrets
    .filter((s) => s.length >= MIN_SECRET_LENGTH)
    .flatMap((s) => [...occurrences(text, s), ...occurrences(text, base64(s))])
    .filter(([from, to]) => !keptAt.some(([a, b]) => from >= a && to <= b))
    .sort((x, y) => x[0] - y[0]);
  let out = '';
  let at = 0;
  for (const [from, to] of cuts) {
    if (to <= at) continue;
    if (from >= at) out += `${text.slice(at, from)}[redacted]`;
    at = to;
  }
  return out + text.slice(at);
}

/**
 * Makes server text or an error message safe to show and log: removes the given secrets (verbatim and base64, when
 * at least MIN_SECRET_LENGTH long), the argument of echoed AUTH / AUTHENTICATE commands and the password of an echoed
 * IMAP LOGIN, base64 blobs that may be credentials (never a label of a dotted name), control characters; collapses
 * whitespace and truncates. `keep` (the configured host names) is never altered.
 */
export function sanitizeText(text: string, secrets: readonly string[] = [], keep: readonly string[] = []): string {
  const kept = [...new Set(keep.filter((k) => k.length > 0))].sort((a, b) => b.length - a.length);
  let out = redactValues(text, secrets, kept);
  kept.forEach((k, i) => {
    out = out.split(k).join(`${KEEP_OPEN}${i}${KEEP_CLOSE}`);
  });
  out = out.replace(new RegExp(`\\b(AUTH(?:ENTICATE)?\\s+(?:${SASL_MECHANISMS}))\\s+(?!\\[redacted\\])\\S+`, 'gi'), '$1 [redacted]');
  out = out.replace(/\b(LOGIN\s+(?:"(?:[^"\\]|\\.)*"|[^\s"]+)\s+)"(?:[^"\\]|\\.)*"/g, '$1[redacted]');
  // A base64 run standing alone: not part of a dotted name (host, domain) or of a word joined by - _ @.
  out = out.replace(/(?<![A-Za-z0-9+/=.@_-])[A-Za-z0-9+/]{8,}={0,2}(?![A-Za-z0-9+/=@_-]|\.[A-Za-z0-9])/g, (token) =>
    looksLikeCredentials(token, secrets) ? '[redacted]' : token,
  );
  out = out.replace(new RegExp(`${KEEP_OPEN}(\\d+)${KEEP_CLOSE}`, 'g'), (_, i: string) => kept[Number(i)] ?? '');
  // eslint-disable-next-line no-control-regex
  out = out.replace(/[\u0000-\u001f\u007f]+/g, ' ').replace(/\s+/g, ' ').trim();
  return out.length > MAX_MESSAGE_LENGTH ? `${out.slice(0, MAX_MESSAGE_LENGTH - 1)}…` : out;
}
