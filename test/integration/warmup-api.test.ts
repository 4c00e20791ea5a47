import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codeOf, startTestCore, type TestCore } from '../helpers/core';
import type { KilnError } from '../../shared/errors';

// The warmup API through the core's one call path (the same validation REST and IPC use):
// settings, presets, previews, pause/resume keeping the ramp position, pool membership rules.

let k: TestCore;
let readable: string;
let sendOnly: string;
const smtp = { host: '127.0.0.1', port: 2525, security: 'none' as const, user: 'u', password: 'p' };

beforeAll(async () => {
  // No scheduler: these tests look at settings only.
  k = await startTestCore({ warmup: false });
  readable = (await k.call('mailboxes.create', { email: 'reader@api.test', smtp, imap: { ...smtp, port: 1143 }, timeZone: 'Europe/Paris' })).id;
  sendOnly = (await k.call('mailboxes.create', { email: 'sender@api.test', smtp })).id;
});
afterAll(async () => {
  await k?.core.close();
});

describe('warmup API', () => {
  it('starts off, in the mailbox time zone, with the default ramp', async () => {
    const s = await k.call('warmup.get', { id: readable });
    expect(s).toMatchObject({ enabled: false, pool: false, progress: 0, state: 'warming', reason: null });
    expect(s.ramp.timeZone).toBe('Europe/Paris');
  });

  it('applies a preset and overrides, and joins the pool when a readable mailbox starts warming', async () => {
    const s = await k.call('warmup.update', { id: readable, enabled: true, preset: 'gentle', ramp: { dailyMax: 25 } });
    expect(s.enabled).toBe(true);
    expect(s.pool).toBe(true);
    expect(s.ramp).toMatchObject({ startVolume: 2, dailyIncrease: 2, dailyMax: 25, timeZone: 'Europe/Paris' });
  });

  it('refuses bad ramps with a clear validation error and changes nothing', async () => {
    const before = await k.call('warmup.get', { id: readable });
    expect(await codeOf(k.call('warmup.update', { id: readable, ramp: { timeZone: 'Mars/Olympus' } }))).toBe('VALIDATION_FAILED');
    expect(await codeOf(k.call('warmup.update', { id: readable, ramp: { window: { start: '18:00', end: '08:00' } } }))).toBe('VALIDATION_FAILED');
    expect(await codeOf(k.call('warmup.update', { id: readable, ramp: { days: [] } }))).toBe('VALIDATION_FAILED');
    expect(await codeOf(k.call('warmup.update', { id: readable, ramp: { replyPct: 140 } }))).toBe('VALIDATION_FAILED');
    expect(await k.call('warmup.get', { id: readable })).toEqual(before);
  });

  it('refuses a daily max below the start volume: VALIDATION_FAILED, on ramp.dailyMax, in words', async () => {
    const before = await k.call('warmup.get', { id: readable });
    const failure = async (p: Promise<unknown>) => {
      try {
        await p;
      } catch (e) {
        return e as KilnError;
      }
      throw new Error('expected a validation error');
    };
    // Both in one body: refused by the request schema.
    const both = await failure(k.call('warmup.update', { id: readable, ramp: { startVolume: 5, dailyMax: 3 } }));
    expect(both.code).toBe('VALIDATION_FAILED');
    expect(both.details).toEqual({ fields: [{ path: 'ramp.dailyMax', message: 'Daily max (3) must be at least the start volume (5)' }] });
    // Only the max, below the stored start (2): refused after the merge, the same field and words.
    const merged = await failure(k.call('warmup.update', { id: readable, ramp: { dailyMax: 1 } }));
    expect(merged.code).toBe('VALIDATION_FAILED');
    expect(merged.message).toBe('ramp.dailyMax: Daily max (1) must be at least the start volume (2)');
    expect(merged.details).toEqual({ fields: [{ path: 'ramp.dailyMax', message: 'Daily max (1) must be at least the start volume (2)' }] });
    // The preview refuses it the same way, so the editor shows it under the field before saving.
    const preview = await failure(k.call('warmup.preview', { mailboxId: readable, ramp: { startVolume: 9, dailyMax: 4 } }));
    expect(preview.details).toEqual({ fields: [{ path: 'ramp.dailyMax', message: 'Daily max (4) must be at least the start volume (9)' }] });
    expect(await k.call('warmup.get', { id: readable })).toEqual(before);
  });

  it('keeps the ramp position when the max is raised and across pause and resume', async () => {
    k.core.services.db.sqlite.prepare('UPDATE warmup_settings SET progress = 7 WHERE mailbox_id = ?').run(readable);
    expect((await k.call('warmup.update', { id: readable, ramp: { dailyMax: 40 } })).progress).toBe(7);
    const paused = await k.call('warmup.pause', { id: readable });
    expect(paused.pausedAt).not.toBeNull();
    expect(paused.progress).toBe(7);
    const resumed = await k.call('warmup.resume', { id: readable });
    expect(resumed.pausedAt).toBeNull();
    expect(resumed.progress).toBe(7);
  });

  it('previews the curve from the mailbox position, days off included', async () => {
    const p = await k.call('warmup.preview', { mailboxId: readable, days: 14, from: '2026-11-23' });
    expect(p.days).toHaveLength(14);
    const sending = p.days.filter((d) => d.sendingDay !== null);
    expect(sending).toHaveLength(10); // weekdays only by default
    expect(sending[0]!.sendingDay).toBe(7);
    expect(sending[0]!.base).toBe(Math.min(2 + 7 * 2, 40));
    expect(p.days.filter((d) => d.sendingDay === null).every((d) => d.volume === 0)).toBe(true);
    const fresh = await k.call('warmup.preview', { preset: 'standard', days: 3, from: '2026-11-23' });
    expect(fresh.days.map((d) => d.base)).toEqual([5, 6, 7]);
  });

  it("previews a throttled mailbox's next days at the loop's factor, its ramp frozen until the throttle ends", async () => {
    // The scheduler's recorded decision: throttled (× 0.75) until Wednesday 2026-11-25 10:00 UTC.
    const until = Date.UTC(2026, 10, 25, 10);
    const sql = k.core.services.db.sqlite;
    sql.prepare(`UPDATE warmup_settings SET state = 'throttled', state_code = 'SPAM_PLACEMENT', state_until = ? WHERE mailbox_id = ?`).run(until, readable);
    try {
      const p = await k.call('warmup.preview', { mailboxId: readable, days: 5, from: '2026-11-23', ramp: { variancePct: 0 } });
      expect(p.loop).toEqual({ state: 'throttled', factor: 0.75, until: new Date(until).toISOString() });
      // Position 7 of gentle (2 + 2 × day, max 40) in Europe/Paris: Mon–Wed start before the throttle ends.
      expect(p.days.map((d) => [d.sendingDay, d.rampVolume, d.volume, d.loop])).toEqual([
        [7, 16, 12, 'throttled'],
        [7, 16, 12, 'throttled'],
        [7, 16, 12, 'throttled'],
        [7, 16, 16, null],
        [8, 18, 18, null],
      ]);
    } finally {
      sql.prepare(`UPDATE warmup_settings SET state = 'warming', state_code = NULL, state_until = NULL WHERE mailbox_id = ?`).run(readable);
    }
  });

  it('keeps mailboxes Kiln cannot read out of the pool', async () => {
    expect(await codeOf(k.call('warmup.update', { id: sendOnly, pool: true }))).toBe('MAILBOX_NOT_READABLE');
    const s = await k.call('warmup.update', { id: sendOnly, enabled: true });
    expect(s).toMatchObject({ enabled: true, pool: false });
  });

  it('manages external pool recipients and reports the pool', async () => {
    const r = await k.call('pool.addRecipient', { address: 'Seed@Example.test', provider: 'gmail', dailyCap: 15 });
    expect(r).toMatchObject({ address: 'seed@example.test', provider: 'gmail', dailyCap: 15 });
    expect(await codeOf(k.call('pool.addRecipient', { address: 'seed@example.test' }))).toBe('CONFLICT');
    const pool = await k.call('pool.get', {});
    expect(pool.mailboxes.map((m) => m.id)).toEqual([readable]);
    expect(pool.external.map((e) => e.id)).toEqual([r.id]);
    expect(pool.totals.members).toBe(2);
    await k.call('pool.removeRecipient', { id: r.id });
    expect(await codeOf(k.call('pool.removeRecipient', { id: r.id }))).toBe('NOT_FOUND');
  });

  it('stores the content endpoint key in the secret store, never in the database', async () => {
    const s = await k.call('warmup.settings.update', {
      content: { provider: 'openai', url: 'http://127.0.0.1:9/v1', model: 'small', timeoutMs: 2000 },
      contentApiKey: 'sk-test-KEEP-OUT-OF-DB',
      limits: { domainPerHour: 50 },
    });
    expect(s).toMatchObject({ contentKeySet: true, content: { provider: 'openai', model: 'small' } });
    expect(s.limits.domainPerHour).toBe(50);
    expect(JSON.stringify(s)).not.toContain('KEEP-OUT');
    const rows = k.core.services.db.sqlite.prepare('SELECT value FROM workspace_settings').all() as { value: string }[];
    expect(rows.map((r) => r.value).join()).not.toContain('KEEP-OUT');
    expect(await k.core.services.secrets.get(`workspace/${k.ctx.workspaceId}/content-api-key`)).toBe('sk-test-KEEP-OUT-OF-DB');
    expect((await k.call('warmup.settings.update', { contentApiKey: null })).contentKeySet).toBe(false);
  });

  it('answers NOT_FOUND for another workspace’s mailbox', async () => {
    expect(await codeOf(k.call('warmup.get', { id: readable }, { workspaceId: 'ws_other', scopes: ['admin'] }))).toBe('NOT_FOUND');
  });
});
