import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../electron/core/db/connection';
import { migrations } from '../../electron/core/db/migrations';
import { tempDataDir } from '../helpers/kiln';

// Migration 018 gives suppressions made by repeated soft bounces (stored as hard bounces before) their own reason.

describe('migration 018: soft-bounce suppressions', () => {
  it('relabels the soft-bounce ones and leaves real hard bounces, complaints and manual ones alone', async () => {
    const db = openDatabase(tempDataDir());
    db.sqlite.pragma('foreign_keys = OFF');
    const names = Object.keys(migrations);
    const at = names.indexOf('2026-12-04-018-soft-bounce-suppressions');
    for (const name of names.slice(0, at)) await migrations[name]!.up(db.kysely as never);
    const add = db.sqlite.prepare(`INSERT INTO suppressions (id, workspace_id, address, reason, detail, message_id, created_at) VALUES (?, 'ws', ?, ?, ?, NULL, 1)`);
    add.run('s1', 'a@x.test', 'hard_bounce', '3 soft bounces within 7 days');
    add.run('s2', 'b@x.test', 'hard_bounce', '5.1.1 550 5.1.1 user unknown');
    add.run('s3', 'c@x.test', 'manual', '3 soft bounces within 7 days');
    add.run('s4', 'd@x.test', 'complaint', 'abuse');
    add.run('s5', 'e@x.test', 'hard_bounce', null);
    await migrations['2026-12-04-018-soft-bounce-suppressions']!.up(db.kysely as never);
    expect(db.sqlite.prepare('SELECT id, reason FROM suppressions ORDER BY id').all()).toEqual([
      { id: 's1', reason: 'soft_bounces' },
      { id: 's2', reason: 'hard_bounce' },
      { id: 's3', reason: 'manual' },
      { id: 's4', reason: 'complaint' },
      { id: 's5', reason: 'hard_bounce' },
    ]);
    await db.close();
  });
});
