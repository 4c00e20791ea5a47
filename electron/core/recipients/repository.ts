import { sql, type Kysely, type SqlBool } from 'kysely';
import type BetterSqlite3 from 'better-sqlite3';
import type { Database, RecipientsTable } from '../db/schema';
import type { Recipient, RecipientListKind } from '../../../shared/domain/recipient';
import type { Provider } from '../../../shared/domain/mailbox';
import { iso } from '../util/time';

export type RecipientRow = RecipientsTable;

export const toRecipient = (r: RecipientRow): Recipient => ({
  id: r.id,
  kind: r.kind as RecipientListKind,
  address: r.address,
  name: r.name,
  provider: r.provider as Provider,
  createdAt: iso(r.created_at),
});

/** `%` and `_` typed by a person are literal characters, not wildcards. */
const likePattern = (q: string) => `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

export interface ListFilter {
  kind?: RecipientListKind;
  q?: string;
}

/** Seeds and contacts; every query is scoped by workspace. */
export function recipientRepository(db: Kysely<Database>, sqlite: BetterSqlite3.Database) {
  const insertSt = sqlite.prepare(
    `INSERT INTO recipients (id, workspace_id, kind, address, name, provider, created_at)
     VALUES (@id, @workspace_id, @kind, @address, @name, @provider, @created_at) ON CONFLICT DO NOTHING`,
  );
  const existingSt = sqlite
    .prepare('SELECT address FROM recipients WHERE workspace_id = ? AND kind = ? AND address IN (SELECT value FROM json_each(?))')
    .pluck();

  const filtered = (workspaceId: string, f: ListFilter) => {
    let q = db.selectFrom('recipients').where('workspace_id', '=', workspaceId);
    if (f.kind) q = q.where('kind', '=', f.kind);
    if (f.q) {
      const p = likePattern(f.q);
      q = q.where((eb) => eb.or([sql<SqlBool>`address LIKE ${p} ESCAPE '\\'`, sql<SqlBool>`name LIKE ${p} ESCAPE '\\'`]));
    }
    return q;
  };

  return {
    get: (workspaceId: string, id: string) =>
      db.selectFrom('recipients').selectAll().where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst(),

    /** Newest first (ids start with their creation time); `before` is the last id of the previous page. */
    page: (workspaceId: string, f: ListFilter, limit: number, before?: string) => {
      let q = filtered(workspaceId, f).selectAll();
      if (before) q = q.where('id', '<', before);
      return q.orderBy('id', 'desc').limit(limit).execute();
    },

    async count(workspaceId: string, f: ListFilter): Promise<number> {
      const r = await filtered(workspaceId, f).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      return Number(r.n);
    },

    all: (workspaceId: string, kind?: RecipientListKind) => filtered(workspaceId, { kind }).selectAll().orderBy('kind').orderBy('id').execute(),

    /** The subset of `addresses` already on this list. */
    existing: (workspaceId: string, kind: RecipientListKind, addresses: string[]) =>
      new Set(addresses.length === 0 ? [] : (existingSt.all(workspaceId, kind, JSON.stringify(addresses)) as string[])),

    /** False when the address was already on the list (unique per workspace, kind and address). */
    insert: (row: RecipientRow) => insertSt.run(row).changes === 1,

    /** All or nothing: a throw inside rolls every insert back. */
    transaction: <T>(fn: () => T): T => sqlite.transaction(fn)(),

    remove: (workspaceId: string, id: string) => db.deleteFrom('recipients').where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst(),
  };
}
export type RecipientRepository = ReturnType<typeof recipientRepository>;
