import fs from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import type { Database } from './schema';

export interface Db {
  kysely: Kysely<Database>;
  /** The raw handle, for transactions on the hot path (better-sqlite3 is synchronous). */
  sqlite: BetterSqlite3.Database;
  file: string;
  close(): Promise<void>;
}

export function openDatabase(dataDir: string): Db {
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const file = path.join(dataDir, 'kiln.db');
  // Create the file private first: SQLite gives the -wal and -shm files the database's mode.
  fs.closeSync(fs.openSync(file, 'a', 0o600));
  const sqlite = new BetterSqlite3(file);
  // WAL: readers never block the writer; NORMAL is durable across process crashes (only a power
  // loss can drop the last commits), which is the failure the queue's recovery is built for.
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  // 32 MiB of page cache (default 2 MiB): random-keyed indexes (ids, Message-IDs, tokens) stay in
  // memory while a day's plan is written, instead of spilling to the WAL mid-transaction.
  sqlite.pragma('cache_size = -32768');
  const kysely = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
  let closed = false;
  return {
    kysely,
    sqlite,
    file,
    async close() {
      if (closed) return;
      closed = true;
      await kysely.destroy(); // closes the better-sqlite3 handle too
    },
  };
}
