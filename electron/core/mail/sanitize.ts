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
  if (secrets.some((s) => s !== '' && decoded.includes(s))) return true;
  // A random-looking blob (both cases and a digit, or padding) is treated as encoded credentials.
  return token.endsWith('=') || (/[a-z]/.test(token) && /[A-Z]/.test(token) && /\d/.test(token));
}

/**
 * Makes server text or an error message safe to show and log: removes the given secrets (verbatim and base64),
 * the argument of echoed AUTH commands, base64 blobs that may be credentials, control characters; collapses
 * whitespace and truncates.
 */
export function sanitizeText(text: string, secrets: readonly string[] = []): string {
  let out = text;
  for (const secret of secrets) {
    if (!secret) continue;
    for (const form of [secret, base64(secret)]) out = out.split(form).join('[redacted]');
  }
  out = out.replace(new RegExp(`\\b(AUTH\\s+(?:${SASL_MECHANISMS}))\\s+(?!\\[redacted\\])\\S+`, 'gi'), '$1 [redacted]');
  out = out.replace(/(?<![A-Za-z0-9+/=])[A-Za-z0-9+/]{8,}={0,2}(?![A-Za-z0-9+/=])/g, (token) =>
    looksLikeCredentials(token, secrets) ? '[redacted]' : token,
  );
  // eslint-disable-next-line no-control-regex
  out = out.replace(/[\u0000-\u001f\u007f]+/g, ' ').replace(/\s+/g, ' ').trim();
  return out.length > MAX_MESSAGE_LENGTH ? `${out.slice(0, MAX_MESSAGE_LENGTH - 1)}…` : out;
}
