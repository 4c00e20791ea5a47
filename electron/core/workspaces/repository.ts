import type { Kysely } from 'kysely';
import type { Database, WorkspaceRow } from '../db/schema';
import type { Workspace } from '../../../shared/domain/token';
import { newId } from '../util/ids';
import { iso } from '../util/time';

export const toWorkspace = (r: WorkspaceRow): Workspace => ({ id: r.id, slug: r.slug, name: r.name, createdAt: iso(r.created_at) });

export function workspaceRepository(db: Kysely<Database>) {
  return {
    async bySlug(slug: string): Promise<WorkspaceRow | undefined> {
      return db.selectFrom('workspaces').selectAll().where('slug', '=', slug).executeTakeFirst();
    },
    async byId(id: string): Promise<WorkspaceRow | undefined> {
      return db.selectFrom('workspaces').selectAll().where('id', '=', id).executeTakeFirst();
    },
    async list(): Promise<WorkspaceRow[]> {
      return db.selectFrom('workspaces').selectAll().orderBy('created_at').execute();
    },
    async create(slug: string, name: string, now: number): Promise<WorkspaceRow> {
      const row = { id: newId('ws'), slug, name, created_at: now };
      await db.insertInto('workspaces').values(row).execute();
      return row;
    },
    /** The default workspace exists from the first start on. */
    async ensureDefault(now: number): Promise<WorkspaceRow> {
      return (await this.bySlug('default')) ?? this.create('default', 'Default', now);
    },
  };
}
export type WorkspaceRepository = ReturnType<typeof workspaceRepository>;
