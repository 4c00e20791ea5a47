// Webhook signatures follow Standard Webhooks exactly (the published test vector reproduces), so
// receivers can use any Standard Webhooks library as well as Kiln's verifyWebhook.
import { describe, expect, it } from 'vitest';
import { generateSecret, sign, signatureHeaders, verifyWebhook } from '../../electron/core/webhooks/sign';

const vector = {
  secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  id: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
  ts: 1614265330,
  body: '{"test": 2432232314}',
  signature: 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
};

describe('webhook signatures', () => {
  it('reproduces the Standard Webhooks test vector', () => {
    expect(sign(vector.secret, vector.id, vector.ts, vector.body)).toBe(vector.signature);
    const headers = { 'webhook-id': vector.id, 'webhook-timestamp': String(vector.ts), 'webhook-signature': vector.signature };
    expect(verifyWebhook(vector.secret, headers, vector.body, 300, vector.ts * 1000)).toBe(true);
  });

  it('generates 32-byte whsec_ secrets, different every time', () => {
    const a = generateSecret();
    expect(a).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(Buffer.from(a.slice(6), 'base64')).toHaveLength(32);
    expect(generateSecret()).not.toBe(a);
  });

  it('fails on a tampered body, id or timestamp, a wrong secret, and outside the tolerance', () => {
    const secret = generateSecret();
    const now = 1_800_000_000_000;
    const ts = now / 1000;
    const body = '{"type":"alert.raised"}';
    const h = signatureHeaders([secret], 'whd_1', ts, body);
    expect(verifyWebhook(secret, h, body, 300, now)).toBe(true);
    expect(verifyWebhook(secret, h, Buffer.from(body), 300, now)).toBe(true);
    expect(verifyWebhook(secret, h, body.replace('raised', 'resolved'), 300, now)).toBe(false);
    expect(verifyWebhook(secret, { ...h, 'webhook-id': 'whd_2' }, body, 300, now)).toBe(false);
    expect(verifyWebhook(secret, { ...h, 'webhook-timestamp': String(ts + 1) }, body, 300, now)).toBe(false);
    expect(verifyWebhook(generateSecret(), h, body, 300, now)).toBe(false);
    // A replay ten minutes later, or a delivery dated ten minutes ahead.
    expect(verifyWebhook(secret, h, body, 300, now + 600_000)).toBe(false);
    expect(verifyWebhook(secret, h, body, 300, now - 600_000)).toBe(false);
    expect(verifyWebhook(secret, {}, body, 300, now)).toBe(false);
    expect(verifyWebhook(secret, { ...h, 'webhook-signature': 'v1,' }, body, 300, now)).toBe(false);
    expect(verifyWebhook(secret, { ...h, 'webhook-timestamp': '12e3' }, body, 300, now)).toBe(false);
  });

  it('accepts any one of several signatures (secret rotation) and reads Headers objects', () => {
    const [current, previous] = [generateSecret(), generateSecret()];
    const now = 1_800_000_000_000;
    const h = signatureHeaders([current, previous], 'whd_9', now / 1000, '{}');
    expect(h['webhook-signature']!.split(' ')).toHaveLength(2);
    expect(verifyWebhook(current, new Headers(h), '{}', 300, now)).toBe(true);
    expect(verifyWebhook(previous, new Headers(h), '{}', 300, now)).toBe(true);
    expect(verifyWebhook(generateSecret(), new Headers(h), '{}', 300, now)).toBe(false);
  });
});
