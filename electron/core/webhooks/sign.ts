// Standard Webhooks signing (https://www.standardwebhooks.com): the secret is `whsec_` + base64 of
// random bytes, the HMAC key is those bytes, and each delivery carries
//   webhook-id: <delivery id>   webhook-timestamp: <unix s>   webhook-signature: v1,<base64 HMAC-SHA256 of "id.ts.body">
// Several space-separated signatures may be present (during a secret rotation): any one matching is enough.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export const SECRET_PREFIX = 'whsec_';

/** A new signing secret: 32 random bytes. */
export function generateSecret(): string {
  return SECRET_PREFIX + randomBytes(32).toString('base64');
}

function keyOf(secret: string): Buffer {
  return Buffer.from(secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret, 'base64');
}

/** `v1,<base64>` for one secret. */
export function sign(secret: string, id: string, timestampSec: number, body: string | Buffer): string {
  return 'v1,' + createHmac('sha256', keyOf(secret)).update(`${id}.${timestampSec}.`).update(body).digest('base64');
}

/** The three headers of one attempt; every given secret signs (current first, then a previous one in its grace period). */
export function signatureHeaders(secrets: string[], id: string, timestampSec: number, body: string): Record<string, string> {
  return {
    'webhook-id': id,
    'webhook-timestamp': String(timestampSec),
    'webhook-signature': secrets.map((s) => sign(s, id, timestampSec, body)).join(' '),
  };
}

type HeaderBag = Headers | Record<string, string | string[] | undefined>;

function header(h: HeaderBag, name: string): string | undefined {
  if (typeof (h as Headers).get === 'function') return (h as Headers).get(name) ?? undefined;
  const bag = h as Record<string, string | string[] | undefined>;
  const key = Object.keys(bag).find((k) => k.toLowerCase() === name);
  const v = key === undefined ? undefined : bag[key];
  return Array.isArray(v) ? v[0] : v;
}

/**
 * For receivers (and Kiln's tests): true when one of the `webhook-signature` entries is the HMAC of
 * `<webhook-id>.<webhook-timestamp>.<body>` under `secret` and the timestamp is within
 * `toleranceSec` of now (older or future-dated deliveries are replays). `body` must be the raw
 * bytes as received, not re-serialised JSON.
 */
export function verifyWebhook(secret: string, headers: HeaderBag, body: string | Buffer, toleranceSec = 300, nowMs = Date.now()): boolean {
  const id = header(headers, 'webhook-id');
  const ts = header(headers, 'webhook-timestamp');
  const sigs = header(headers, 'webhook-signature');
  if (!id || !ts || !sigs || !/^\d{1,12}$/.test(ts)) return false;
  if (Math.abs(nowMs / 1000 - Number(ts)) > toleranceSec) return false;
  const expected = Buffer.from(sign(secret, id, Number(ts), body).slice(3), 'base64');
  let ok = false;
  for (const entry of sigs.split(' ')) {
    const [version, value] = entry.split(',', 2);
    if (version !== 'v1' || !value) continue;
    const given = Buffer.from(value, 'base64');
    // Constant time per comparison; keep looping so timing says nothing about which entry matched.
    if (given.length === expected.length && timingSafeEqual(given, expected)) ok = true;
  }
  return ok;
}
