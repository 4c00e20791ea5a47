import type BetterSqlite3 from 'better-sqlite3';
import type { MessageRow } from '../db/schema';

const TOKEN = /^[0-9a-f]{32}$/;

/** The token in raw header lines (as fetched over IMAP), or null. */
export function refFromHeaders(raw: Buffer | string | undefined): string | null {
  if (!raw) return null;
  const text = typeof raw === 'string' ? raw : raw.toString('latin1');
  const m = /^x-entity-ref-id:[ \t]*([^\r\n]*)/im.exec(text);
  const value = m?.[1]?.trim().toLowerCase();
  return value && TOKEN.test(value) ? value : null;
}

export function messageByRef(sqlite: BetterSqlite3.Database) {
  const st = sqlite.prepare('SELECT * FROM messages WHERE ref = ?');
  return (ref: string) => st.get(ref) as MessageRow | undefined;
}
