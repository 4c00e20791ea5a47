// The alert store on a real SQLite file: a condition raised again and again is one alert and one
// event; its end is one `alert.resolved`; a later recurrence is a new alert. Workspaces never mix.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PushEvent } from '../../shared/api/events';
import { codeOf, startTestCore, type TestCore } from '../helpers/core';

let k: TestCore;
const events: PushEvent[] = [];

beforeAll(async () => {
  k = await startTestCore({ warmup: false });
  k.core.subscribe((e) => e.name.startsWith('alert.') && events.push(e));
});
afterAll(async () => {
  await k?.core.close();
});

const listing = { kind: 'blocklist.listed', severity: 'critical', key: 'blocklist:zen.test:192.0.2.1', title: '192.0.2.1 is listed on zen.test', detail: '127.0.0.2: SBL', ip: '192.0.2.1' } as const;

describe('alerts', () => {
  it('raises a condition once however often a check reports it, and says so once', async () => {
    const ws = k.core.defaultWorkspaceId;
    const first = k.core.services.alerts.raise(ws, listing);
    expect(first).toMatchObject({ kind: 'blocklist.listed', state: 'open', ip: '192.0.2.1', resolvedAt: null });
    k.advance(3_600_000);
    expect(k.core.services.alerts.raise(ws, listing)).toBeNull();
    expect(k.core.services.alerts.raise(ws, { ...listing, detail: 'changed words, same condition' })).toBeNull();
    expect(events.map((e) => e.name)).toEqual(['alert.raised']);
    const open = await k.call('alerts.list', {});
    expect(open.items.map((a) => a.id)).toEqual([first!.id]);
  });

  it('resolves once; a recurrence is a new alert; the history keeps both', async () => {
    const ws = k.core.defaultWorkspaceId;
    const resolved = k.core.services.alerts.resolve(ws, listing.key);
    expect(resolved).toMatchObject({ state: 'resolved' });
    expect(resolved!.resolvedAt).not.toBeNull();
    expect(k.core.services.alerts.resolve(ws, listing.key)).toBeNull();
    expect((await k.call('alerts.list', {})).items).toEqual([]);
    const again = k.core.services.alerts.raise(ws, listing);
    expect(again!.id).not.toBe(resolved!.id);
    expect(events.map((e) => e.name)).toEqual(['alert.raised', 'alert.resolved', 'alert.raised']);
    const all = await k.call('alerts.list', { state: 'all' });
    expect(all.items.map((a) => [a.id, a.state])).toEqual([
      [again!.id, 'open'],
      [resolved!.id, 'resolved'],
    ]);
    const page = await k.call('alerts.list', { state: 'all', limit: 1 });
    expect(page.items).toHaveLength(1);
    expect((await k.call('alerts.list', { state: 'all', limit: 1, cursor: page.nextCursor! })).items[0]!.id).toBe(resolved!.id);
  });

  it('acknowledging marks an alert seen, keeps it open, and needs admin', async () => {
    const [open] = (await k.call('alerts.list', {})).items;
    const acked = await k.call('alerts.acknowledge', { id: open!.id });
    expect(acked.state).toBe('open');
    expect(acked.acknowledgedAt).not.toBeNull();
    expect(await codeOf(k.call('alerts.acknowledge', { id: open!.id }, { ...k.ctx, scopes: ['read'] }))).toBe('FORBIDDEN');
    expect(await codeOf(k.call('alerts.acknowledge', { id: 'alr_nope' }))).toBe('NOT_FOUND');
  });

  it('keeps workspaces apart', async () => {
    const other = await k.core.services.db.kysely
      .insertInto('workspaces')
      .values({ id: 'ws_alerts_other', slug: 'alerts-other', name: 'Other', created_at: k.clock.now() })
      .returning('id')
      .executeTakeFirstOrThrow();
    const ctx = { workspaceId: other.id, scopes: ['admin'] as const };
    expect((await k.call('alerts.list', { state: 'all' }, ctx)).items).toEqual([]);
    // The same key in another workspace is its own condition.
    expect(k.core.services.alerts.raise(other.id, listing)).not.toBeNull();
    const [mine] = (await k.call('alerts.list', {})).items;
    expect(await codeOf(k.call('alerts.acknowledge', { id: mine!.id }, ctx))).toBe('NOT_FOUND');
  });
});
