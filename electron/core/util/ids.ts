import { randomFillSync } from 'node:crypto';

const alphabet = '0123456789abcdefghjkmnpqrstvwxyz'; // Crockford base32, lower case

// One CSPRNG call per 64 KiB instead of per id: planning a day writes three random ids per message.
const POOL = Buffer.alloc(65_536);
let offset = POOL.length;

/** `n` cryptographically random bytes (a copy: callers may keep them). */
export function randomChunk(n: number): Buffer {
  if (n > POOL.length) return randomFillSync(Buffer.alloc(n));
  if (offset + n > POOL.length) {
    randomFillSync(POOL);
    offset = 0;
  }
  const out = Buffer.from(POOL.subarray(offset, offset + n));
  offset += n;
  return out;
}

/** Milliseconds since the epoch as 9 Crockford base32 characters: sortable for the next ~1,000 years. */
export function timePart(ms = Date.now()): string {
  let out = '';
  for (let i = 0, v = ms; i < 9; i++, v = Math.floor(v / 32)) out = alphabet[v % 32]! + out;
  return out;
}

/**
 * `msg_01jq3...`: a prefix says what an id is when it shows up in a log or a URL. Ids start with
 * the creation time (like a ULID), so new rows land at the end of their index instead of at a
 * random page: planning 400,000 messages writes sequentially. The rest is random.
 */
export function newId(prefix: string, bytes = 12): string {
  const buf = randomChunk(bytes);
  let out = timePart();
  for (const b of buf) out += alphabet[b & 31];
  return `${prefix}_${out}`;
}

/** A Message-ID unique across every Kiln install: time.random @ the sender's domain (a common MTA shape). */
export function newMessageId(from: string): string {
  const domain = from.split('@')[1] ?? 'kiln.invalid';
  return `<${timePart().toLowerCase()}.${randomChunk(12).toString('hex')}@${domain}>`;
}

/** The neutral token of the X-Entity-Ref-ID header (see mail/headers.ts): random, so it says nothing about Kiln. */
export const newRef = (): string => randomChunk(16).toString('hex');
