import type { HandlerSlice } from '../api/slice';
import type { Db } from '../db/connection';
import type { Clock } from '../clock';
import { KilnError } from '../../../shared/errors';
import { workspaceRepository, toWorkspace } from './repository';

/** "Acme Corp. (EU)" -> "acme-corp-eu"; names without any latin letter or digit get a random slug. */
export function slugOf(name: string): string {
  const base = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 48);
  return base || `workspace-${Math.random().toString(36).slice(2, 8)}`;
}

/** What the workspace methods use. */
export interface WorkspaceHandlerNeeds {
  db: Db;
  clock: Clock;
}

export function workspaceHandlers(deps: WorkspaceHandlerNeeds): HandlerSlice<'workspaces.list' | 'workspaces.create'> {
  const repo = workspaceRepository(deps.db.kysely);
  return {
    'workspaces.list': async () => (await repo.list()).map(toWorkspace),
    'workspaces.create': async (input) => {
      const slug = input.slug ?? slugOf(input.name);
      if (await repo.bySlug(slug)) throw new KilnError('CONFLICT', `A workspace "${slug}" exists already`, { fields: [{ path: 'slug', message: 'already taken' }] });
      return toWorkspace(await repo.create(slug, input.name, deps.clock.now()));
    },
  };
}
