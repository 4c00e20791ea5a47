import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../electron/core/db/connection';
import { migrateToLatest, migrationStatus } from '../../electron/core/db/migrate';
import { migrations } from '../../electron/core/db/migrations';
import { createCore } from '../../electron/core/app';
import { tempDataDir } from '../helpers/kiln';
import { startTestCore } from '../helpers/core';

describe('store', () => {
  it('migrates a fresh database to the latest schema in WAL mode, idempotently', async () => {
    const db = openDatabase(tempDataDir());
    expect(await migrateToLatest(db)).toEqual(Object.keys(migrations));
    expect(await migrateToLatest(db)).toEqual([]);
    expect((await migrationStatus(db)).every((m) => m.applied)).toBe(true);
    expect(db.sqlite.pragma('journal_mode', { simple: true })).toBe('wal');
    const tables = db.sqlite.prepare("SELECT name FROM sqlite_master WHERE type='table'").all().map((r) => (r as { name: string }).name);
    expect(tables).toEqual(expect.arrayContaining(['workspaces', 'api_tokens', 'mailboxes', 'messages', 'message_events', 'message_recipients', 'suppressions']));
    await db.close();
  });

  it('refuses to start on a database with a migration this build does not know', async () => {
    const dir = tempDataDir();
    const db = openDatabase(dir);
    await migrateToLatest(db);
    db.sqlite.prepare("INSERT INTO kiln_migrations (name, timestamp) VALUES ('2099-01-01-001-from-the-future', '2099-01-01T00:00:00Z')").run();
    await db.close();
    await expect(createCore({ dataDir: dir, dispatch: false })).rejects.toMatchObject({
      code: 'MIGRATION_UNKNOWN',
      message: expect.stringContaining('2099-01-01-001-from-the-future'),
    });
  });

  it('creates the default workspace on first start, once', async () => {
    const dir = tempDataDir();
    const a = await createCore({ dataDir: dir, dispatch: false });
    const id = a.defaultWorkspaceId;
    await a.close();
    const b = await createCore({ dataDir: dir, dispatch: false });
    expect(b.defaultWorkspaceId).toBe(id);
    expect(b.services.db.sqlite.prepare('SELECT count(*) AS n FROM workspaces').get()).toEqual({ n: 1 });
    await b.close();
  });

  it('keeps the message event log append-only', async () => {
    const k = await startTestCore();
    const mb = await k.call('mailboxes.create', { email: 'a@loop.test', provider: 'custom', smtp: { host: '127.0.0.1', port: 9, security: 'none', password: 'pw' } });
    await k.core.services.dispatcher?.stop();
    const { id } = await k.call('messages.send', { mailboxId: mb.id, to: ['b@loop.test'], subject: 's', text: 't' });
    const sqlite = k.core.services.db.sqlite;
    expect(() => sqlite.prepare("UPDATE message_events SET type = 'sent' WHERE message_id = ?").run(id)).toThrow(/append-only/);
    expect(() => sqlite.prepare('DELETE FROM message_events WHERE message_id = ?').run(id)).toThrow(/append-only/);
    expect((await k.call('messages.get', { id })).events.map((e) => e.type)).toEqual(['queued']);
    await k.core.close();
  });

  it('stores API tokens only as hashes', async () => {
    const k = await startTestCore();
    const t = await k.call('tokens.create', { name: 'x', scopes: ['read'] });
    const rows = k.core.services.db.sqlite.prepare('SELECT * FROM api_tokens').all();
    expect(JSON.stringify(rows)).not.toContain(t.token);
    expect(await k.core.authenticate(t.token)).toMatchObject({ workspaceId: k.core.defaultWorkspaceId, scopes: ['read'] });
    expect(await k.core.authenticate(`${t.token}x`)).toBeNull();
    await k.core.close();
  });
});
