import { createHash, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { ApiTokenRow, Database } from '../db/schema';
import { scopes as allScopes, type Scope } from '../../../shared/api/define';
import type { ApiToken, CreatedToken } from '../../../shared/domain/token';
import { KilnError } from '../../../shared/errors';
import { newId } from '../util/ids';
import { iso, isoOrNull } from '../util/time';
import type { Clock } from '../clock';

const TOKEN_PREFIX = 'kiln_';
/** last_used_at is refreshed at most this often, so reads don't turn every request into a write. */
const LAST_USED_RESOLUTION_MS = 60_000;

export const hashToken = (token: string): string => createHash('sha256').update(token).digest('hex');

function parseScopes(s: string): Scope[] {
  return s.split(',').filter((x): x is Scope => (allScopes as readonly string[]).includes(x));
}

export const toApiToken = (r: ApiTokenRow): ApiToken => ({
  id: r.id,
  workspaceId: r.workspace_id,
  name: r.name,
  prefix: r.prefix,
  scopes: parseScopes(r.scopes),
  createdAt: iso(r.created_at),
  lastUsedAt: isoOrNull(r.last_used_at),
  revokedAt: isoOrNull(r.revoked_at),
});

export interface Authenticated {
  tokenId: string;
  workspaceId: string;
  scopes: Scope[];
}

export function tokenService(db: Kysely<Database>, clock: Clock) {
  return {
    async create(workspaceId: string, name: string, scopes: Scope[]): Promise<CreatedToken> {
      const token = TOKEN_PREFIX + randomBytes(32).toString('base64url');
      const row: ApiTokenRow = {
        id: newId('tok'),
        workspace_id: workspaceId,
        name,
        prefix: token.slice(0, TOKEN_PREFIX.length + 6),
        hash: hashToken(token),
        scopes: [...new Set(scopes)].join(','),
        created_at: clock.now(),
        last_used_at: null,
        revoked_at: null,
      };
      await db.insertInto('api_tokens').values(row).execute();
      return { ...toApiToken(row), token };
    },

    async list(workspaceId: string): Promise<ApiToken[]> {
      const rows = await db.selectFrom('api_tokens').selectAll().where('workspace_id', '=', workspaceId).orderBy('created_at').execute();
      return rows.map(toApiToken);
    },

    async revoke(workspaceId: string, id: string): Promise<ApiToken> {
      const row = await db
        .updateTable('api_tokens')
        .set({ revoked_at: clock.now() })
        .where('id', '=', id)
        .where('workspace_id', '=', workspaceId)
        .where('revoked_at', 'is', null)
        .returningAll()
        .executeTakeFirst();
      if (row) return toApiToken(row);
      const existing = await db.selectFrom('api_tokens').selectAll().where('id', '=', id).where('workspace_id', '=', workspaceId).executeTakeFirst();
      if (!existing) throw new KilnError('NOT_FOUND', `No token ${id} in this workspace`);
      return toApiToken(existing);
    },

    /** A token's name, for the caller's own session (null when gone or of another workspace). */
    async nameOf(workspaceId: string, id: string): Promise<string | null> {
      const row = await db.selectFrom('api_tokens').select('name').where('id', '=', id).where('workspace_id', '=', workspaceId).executeTakeFirst();
      return row?.name ?? null;
    },

    /** Resolve a bearer token; null when unknown or revoked. */
    async authenticate(token: string): Promise<Authenticated | null> {
      if (!token.startsWith(TOKEN_PREFIX) || token.length > 200) return null;
      const row = await db.selectFrom('api_tokens').selectAll().where('hash', '=', hashToken(token)).executeTakeFirst();
      if (!row || row.revoked_at != null) return null;
      const now = clock.now();
      if (row.last_used_at == null || now - row.last_used_at > LAST_USED_RESOLUTION_MS) {
        await db.updateTable('api_tokens').set({ last_used_at: now }).where('id', '=', row.id).execute();
      }
      return { tokenId: row.id, workspaceId: row.workspace_id, scopes: parseScopes(row.scopes) };
    },
  };
}
export type TokenService = ReturnType<typeof tokenService>;
