import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codeOf, startTestCore, type TestCore } from '../helpers/core';
import { workspaceRepository } from '../../electron/core/workspaces/repository';
import type { CallContext } from '../../electron/core/api/context';
import type { PushEvent } from '../../shared/api/events';
import { defaultRamp } from '../../shared/warmup/ramp';

// The fleet overview, a mailbox's activity log, pause/resume all, and preferences, through the
// core's one call path. Warmup activity is written straight into the tables: these tests are
// about how it is read back, not about sending.

let k: TestCore;
let other: CallContext;
const events: PushEvent[] = [];
const smtp = { host: '127.0.0.1', port: 9, security: 'none' as const, user: 'u', password: 'p' };
const HOUR = 3_600_000;
const ids: Record<string, string> = {};
// 10:00 UTC on 2026-11-23 is already 2026-11-24 in Kiritimati (UTC+14), the warming ramp's zone.
const TODAY = '2026-11-24';
const YESTERDAY = '2026-11-23';

let seq = 0;
function message(mailbox: string, m: { status: string; sentAt?: number | null; day?: string | null; kind?: string }, workspaceId = k.ctx.workspaceId): string {
  const id = `msg_test${String(seq++).padStart(6, '0')}`;
  const now = k.clock.now();
  k.core.services.db.sqlite
    .prepare(
      `INSERT INTO messages (id, workspace_id, mailbox_id, kind, status, message_id, from_addr, subject, attempts, next_attempt_at, created_at, updated_at, sent_at, plan_day)
       VALUES (?, ?, ?, ?, ?, ?, 'x@fleet.test', 'Hello', 0, ?, ?, ?, ?, ?)`,
    )
    .run(id, workspaceId, mailbox, m.kind ?? 'warmup', m.status, `<${id}@fleet.test>`, now, now, now, m.sentAt ?? null, m.day === undefined ? TODAY : m.day);
  return id;
}

function placement(messageId: string, where: string, seenAt: number, workspaceId = k.ctx.workspaceId) {
  k.core.services.db.sqlite
    .prepare(`INSERT INTO message_placements (message_id, recipient, workspace_id, mailbox_id, placement, seen_at, updated_at) VALUES (?, 'r@pool.test', ?, 'mbx_pool', ?, ?, ?)`)
    .run(messageId, workspaceId, where, seenAt, seenAt);
}

function setWarmupState(id: string, state: string, code: string, reason: string, until: number | null = null) {
  k.core.services.db.sqlite
    .prepare('UPDATE warmup_settings SET state = ?, state_code = ?, state_reason = ?, state_until = ? WHERE mailbox_id = ?')
    .run(state, code, reason, until, id);
}

const rowOf = async (name: string) => (await k.call('fleet.get', {})).mailboxes.find((m) => m.id === ids[name])!;
const statesOf = async () => Object.fromEntries((await k.call('fleet.get', {})).mailboxes.map((m) => [m.email.split('@')[0], m.state]));

beforeAll(async () => {
  k = await startTestCore({ warmup: false });
  // Nothing may send or poll behind the test's back: the rows written here are the whole story.
  await k.core.services.dispatcher?.stop();
  await k.core.services.feedback?.stop();
  k.core.subscribe((e) => events.push(e));
  const ws = await workspaceRepository(k.core.services.db.kysely).create('client-b', 'Client B', k.clock.now());
  other = { workspaceId: ws.id, scopes: ['admin'] };

  const create = async (name: string, imap = false) =>
    (ids[name] = (await k.call('mailboxes.create', { email: `${name}@fleet.test`, smtp, imap: imap ? { ...smtp, port: 1143 } : undefined })).id);
  await create('warm', true);
  await create('broken');
  await create('held');
  await create('throttled');
  await create('holding');
  await create('bounced');
  await create('idle');
  for (const n of ['warm', 'broken', 'held', 'throttled', 'holding', 'bounced']) await k.call('warmup.update', { id: ids[n]!, enabled: true });
  await k.call('warmup.update', { id: ids.warm!, ramp: { timeZone: 'Pacific/Kiritimati' } });

  k.core.services.db.sqlite
    .prepare(`UPDATE mailboxes SET status = 'error', last_error = ? WHERE id = ?`)
    .run(JSON.stringify({ protocol: 'smtp', stage: 'auth', code: 'AUTH_FAILED', message: '535 5.7.8 bad credentials', at: '2026-11-23T08:00:00.000Z' }), ids.broken);
  await k.call('mailboxes.pause', { id: ids.held! });
  setWarmupState(ids.throttled!, 'throttled', 'SPAM_PLACEMENT', '1 spam placement in the last 48 h', k.clock.now() + 72 * HOUR);
  setWarmupState(ids.holding!, 'holding', 'RAMP_FROZEN', 'Last spam placement 2 days ago');
  setWarmupState(ids.bounced!, 'paused', 'BOUNCE_RATE', '3 bounces out of 20 messages sent in the last 7 days');

  // Today for "warm": 4 sent (one bounced), 3 still to go, 1 failed; 2 inbox + 1 spam seen.
  const now = k.clock.now();
  k.core.services.db.sqlite
    .prepare(`INSERT INTO warmup_days (mailbox_id, day, workspace_id, sending_day, target, volume, state, reason, advanced, planned_at, updated_at) VALUES (?, ?, ?, 3, 12, 12, 'warming', NULL, 1, ?, ?)`)
    .run(ids.warm, TODAY, k.ctx.workspaceId, now, now);
  // Sent at the first instant of the local day: mail counts on the day it was sent (docs/FIGURES.md).
  const sent = [0, 1, 2].map(() => message(ids.warm!, { status: 'sent', sentAt: now }));
  message(ids.warm!, { status: 'bounced', sentAt: now });
  message(ids.warm!, { status: 'planned' });
  message(ids.warm!, { status: 'planned' });
  message(ids.warm!, { status: 'retry_scheduled' });
  message(ids.warm!, { status: 'failed' });
  placement(sent[0]!, 'inbox', now);
  placement(sent[1]!, 'inbox', now);
  placement(sent[2]!, 'spam', now);
  // Yesterday counts for the 7-day rate only; ten days ago not at all; "missing" is not a placement.
  const y = [0, 1, 2].map(() => message(ids.warm!, { status: 'sent', sentAt: now - 24 * HOUR, day: YESTERDAY }));
  placement(y[0]!, 'inbox', now);
  placement(y[1]!, 'other', now);
  placement(y[2]!, 'missing', now);
  placement(message(ids.warm!, { status: 'sent', sentAt: now - 240 * HOUR, day: '2026-11-13' }), 'spam', now);
});
afterAll(async () => {
  await k?.core.close();
});

describe('fleet.get', () => {
  it('shows each mailbox with its one state and today in its ramp time zone', async () => {
    const warm = await rowOf('warm');
    expect(warm).toMatchObject({ email: 'warm@fleet.test', status: 'active', readable: true, state: 'warming', lastError: null });
    expect(warm.warmup).toMatchObject({ enabled: true, state: 'warming', reason: null, progress: 0 });
    expect(warm.today).toEqual({ day: TODAY, target: 12, planned: 3, sent: 4, mailSent: 4, inbox: 2, spam: 1, other: 0, bounced: 1, complained: 0 });
    expect(warm.inboxRate7d).toBeCloseTo(3 / 5);

    expect(await statesOf()).toEqual({ warm: 'warming', broken: 'error', held: 'paused', throttled: 'throttled', holding: 'holding', bounced: 'paused', idle: 'off' });
    const broken = await rowOf('broken');
    expect(broken).toMatchObject({ readable: false, lastError: { code: 'AUTH_FAILED', stage: 'auth' }, inboxRate7d: null });
    // No warmup ever set up: off, and today counted in the mailbox's own zone (UTC).
    expect(await rowOf('idle')).toMatchObject({ warmup: { enabled: false, state: 'warming', progress: 0 }, today: { day: '2026-11-23', target: 0, sent: 0 } });
  });

  it('derives alerts, most severe first', async () => {
    const { alerts } = await k.call('fleet.get', {});
    expect(alerts.map((a) => [a.email, a.severity, a.code])).toEqual([
      ['broken@fleet.test', 'critical', 'AUTH_FAILED'],
      ['bounced@fleet.test', 'critical', 'BOUNCE_RATE'],
      ['throttled@fleet.test', 'warning', 'SPAM_PLACEMENT'],
      ['holding@fleet.test', 'info', 'RAMP_FROZEN'],
    ]);
    expect(alerts[0]).toMatchObject({ reason: 'SMTP auth failed: 535 5.7.8 bad credentials', since: '2026-11-23T08:00:00.000Z' });
    expect(alerts[1]!.reason).toBe('3 bounces out of 20 messages sent in the last 7 days');
  });

  it('shows nothing of another workspace, and reads 1,000 mailboxes at once', async () => {
    expect(await k.call('fleet.get', {}, other)).toMatchObject({ mailboxes: [], alerts: [], totals: { sent: 0, spam: 0 } });
    const sqlite = k.core.services.db.sqlite;
    const now = k.clock.now();
    const ramp = JSON.stringify(defaultRamp('UTC'));
    sqlite.transaction(() => {
      for (let i = 0; i < 1000; i++) {
        const id = `mbx_bulk${String(i).padStart(4, '0')}`;
        sqlite
          .prepare(
            `INSERT INTO mailboxes (id, workspace_id, email, provider, smtp_host, smtp_port, smtp_security, smtp_user, smtp_secret_ref, allow_insecure, status, time_zone, created_at, updated_at)
             VALUES (?, ?, ?, 'custom', '127.0.0.1', 9, 'none', 'u', 'ref', 0, 'active', 'UTC', ?, ?)`,
          )
          .run(id, other.workspaceId, `bulk${i}@fleet.test`, now + i, now);
        sqlite
          .prepare(`INSERT INTO warmup_settings (mailbox_id, workspace_id, enabled, pool, ramp, loop, progress, updated_at) VALUES (?, ?, 1, 0, ?, '{}', ?, ?)`)
          .run(id, other.workspaceId, ramp, i % 10, now);
        const m = message(id, { status: 'sent', sentAt: now - HOUR, day: '2026-11-23' }, other.workspaceId);
        placement(m, i % 4 === 0 ? 'spam' : 'inbox', now, other.workspaceId);
      }
    })();
    const fleet = await k.call('fleet.get', {}, other);
    expect(fleet.mailboxes).toHaveLength(1000);
    expect(fleet.mailboxes[999]).toMatchObject({ email: 'bulk999@fleet.test', state: 'warming', warmup: { progress: 9 }, today: { day: '2026-11-23', sent: 1, inbox: 1, spam: 0 }, inboxRate7d: 1 });
    expect(fleet.mailboxes[0]).toMatchObject({ today: { sent: 1, inbox: 0, spam: 1 }, inboxRate7d: 0 });
    expect(fleet.mailboxes.reduce((n, m) => n + m.today.spam, 0)).toBe(250);
    expect(fleet.totals).toMatchObject({ sent: 1000, mailSent: 1000, inbox: 750, spam: 250 });
    // The first workspace is untouched.
    expect((await k.call('fleet.get', {})).mailboxes).toHaveLength(7);
  });
});

describe('mailboxes.activity', () => {
  it('pages the events of the mailbox’s messages, newest first', async () => {
    const sent: string[] = [];
    for (let i = 0; i < 5; i++) sent.push((await k.call('messages.send', { mailboxId: ids.warm!, to: [`to${i}@x.test`], subject: `S${i}`, text: 't' })).id);
    await k.call('messages.send', { mailboxId: ids.idle!, to: ['x@x.test'], subject: 'elsewhere', text: 't' });
    const sqlite = k.core.services.db.sqlite;
    const ev = sqlite.prepare('INSERT INTO message_events (message_id, workspace_id, at, type, data) VALUES (?, ?, ?, ?, ?)');
    ev.run(sent[4], k.ctx.workspaceId, k.clock.now(), 'placement', JSON.stringify({ recipient: 'to4@x.test', placement: 'inbox' }));
    // Recorded under the pool member's workspace: still this mailbox's mail.
    ev.run(sent[4], other.workspaceId, k.clock.now(), 'opened', JSON.stringify({ recipient: 'to4@x.test' }));

    const pages = [];
    let cursor: string | undefined;
    do {
      const p = await k.call('mailboxes.activity', { id: ids.warm!, limit: 3, cursor });
      pages.push(p.items);
      cursor = p.nextCursor ?? undefined;
    } while (cursor);
    expect(pages.map((p) => p.length)).toEqual([3, 3, 1]);
    const items = pages.flat();
    expect(items.map((i) => i.id)).toEqual([...items.map((i) => i.id)].sort((a, b) => b - a));
    expect(items[0]).toMatchObject({ type: 'opened', messageId: sent[4], kind: 'api', subject: 'S4', data: { recipient: 'to4@x.test' } });
    expect(items[1]).toMatchObject({ type: 'placement', data: { placement: 'inbox' } });
    expect(items.slice(2).map((i) => [i.type, i.subject])).toEqual([4, 3, 2, 1, 0].map((n) => ['queued', `S${n}`]));
    expect(items[6]!.data).toMatchObject({ kind: 'api', recipients: 1 });
  });

  it('answers NOT_FOUND for an unknown or another workspace’s mailbox', async () => {
    expect(await codeOf(k.call('mailboxes.activity', { id: 'mbx_nope' }))).toBe('NOT_FOUND');
    expect(await codeOf(k.call('mailboxes.activity', { id: ids.warm! }, other))).toBe('NOT_FOUND');
    expect(await codeOf(k.call('mailboxes.activity', { id: ids.warm!, cursor: 'abc' }))).toBe('VALIDATION_FAILED');
    expect((await k.call('mailboxes.activity', { id: ids.broken! })).items).toEqual([]);
  });
});

describe('warmup.pauseAll / resumeAll', () => {
  it('pauses every enabled warmup once, emitting one update each, and resumes them', async () => {
    events.length = 0;
    expect(await k.call('warmup.pauseAll', {})).toEqual({ count: 6 });
    const updated = events.filter((e) => e.name === 'warmup.updated');
    expect(updated.map((e) => (e.data as { mailboxId: string }).mailboxId).sort()).toEqual(
      ['warm', 'broken', 'held', 'throttled', 'holding', 'bounced'].map((n) => ids[n]).sort(),
    );
    expect(updated.every((e) => e.workspaceId === k.ctx.workspaceId)).toBe(true);
    expect(await statesOf()).toEqual({ warm: 'paused', broken: 'error', held: 'paused', throttled: 'paused', holding: 'paused', bounced: 'paused', idle: 'off' });
    expect((await rowOf('warm')).warmup).toMatchObject({ state: 'paused', reasonCode: 'MANUAL_PAUSE' });
    // A pause by hand is not an alert.
    expect((await k.call('fleet.get', {})).alerts.map((a) => a.code)).toEqual(['AUTH_FAILED', 'BOUNCE_RATE']);
    expect(await k.call('warmup.pauseAll', {})).toEqual({ count: 0 });
    // The other workspace's 1,000 were not touched.
    expect((await k.call('fleet.get', {}, other)).mailboxes.every((m) => m.state === 'warming')).toBe(true);

    expect(await k.call('warmup.resumeAll', {})).toEqual({ count: 6 });
    expect(await statesOf()).toEqual({ warm: 'warming', broken: 'error', held: 'paused', throttled: 'throttled', holding: 'holding', bounced: 'paused', idle: 'off' });
    expect((await k.call('warmup.get', { id: ids.warm! })).pausedAt).toBeNull();
    expect(await k.call('warmup.resumeAll', {})).toEqual({ count: 0 });
  });
});

describe('preferences', () => {
  it('starts from the defaults, merges updates and announces the new value', async () => {
    const defaults = { defaultPreset: 'standard', defaultTimeZone: null, desktop: { startAtLogin: false, runInBackground: true, notifications: true, localApi: { enabled: false, port: 7421 } }, engagement: { otherKilnMail: false } };
    expect(await k.call('preferences.get', {})).toEqual(defaults);
    events.length = 0;
    const a = await k.call('preferences.update', { desktop: { startAtLogin: true } });
    expect(a).toEqual({ ...defaults, desktop: { ...defaults.desktop, startAtLogin: true } });
    expect(events.filter((e) => e.name === 'preferences.updated')).toEqual([{ workspaceId: k.ctx.workspaceId, name: 'preferences.updated', data: a }]);
    const b = await k.call('preferences.update', { defaultPreset: 'gentle', defaultTimeZone: 'Europe/Paris', desktop: { notifications: false } });
    expect(b).toEqual({ ...defaults, defaultPreset: 'gentle', defaultTimeZone: 'Europe/Paris', desktop: { ...defaults.desktop, startAtLogin: true, notifications: false } });
    expect(await k.call('preferences.update', { defaultTimeZone: null })).toEqual({ ...b, defaultTimeZone: null });
    expect(await codeOf(k.call('preferences.update', { defaultTimeZone: 'Mars/Olympus' }))).toBe('VALIDATION_FAILED');
    expect(await k.call('preferences.get', {}, other)).toEqual(defaults);
  });

  it('reads a stored value it cannot parse as the defaults', async () => {
    k.core.services.db.sqlite.prepare(`UPDATE workspace_settings SET value = '{"desktop": 5' WHERE workspace_id = ? AND key = 'preferences'`).run(k.ctx.workspaceId);
    expect((await k.call('preferences.get', {})).defaultPreset).toBe('standard');
  });
});
