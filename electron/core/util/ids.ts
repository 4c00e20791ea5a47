import { randomBytes } from 'node:crypto';

const alphabet = '0123456789abcdefghjkmnpqrstvwxyz'; // Crockford base32, lower case

/** `mbx_3k9...`: a prefix says what an id is when it shows up in a log or a URL. */
export function newId(prefix: string, bytes = 12): string {
  const buf = randomBytes(bytes);
  let out = '';
  for (const b of buf) out += alphabet[b & 31];
  return `${prefix}_${out}`;
}
