import type { ParsedInput } from '../../../shared/api/table';
import { preferences, type Preferences } from '../../../shared/domain/preferences';
import type { Db } from '../db/connection';
import type { Clock } from '../clock';
import type { EventBus } from '../events/bus';
import { parseJson } from '../util/json';

const KEY = 'preferences';

/** Keys given as undefined leave the stored value alone. */
const defined = <T extends object>(o: T | undefined): Partial<T> =>
  Object.fromEntries(Object.entries(o ?? {}).filter(([, v]) => v !== undefined)) as Partial<T>;

/** What preferences use. */
export interface PreferencesServiceNeeds {
  db: Db;
  clock: Clock;
  bus: EventBus;
}

/** A workspace's general defaults and desktop behaviour, one JSON value in workspace_settings. */
export function preferencesService(deps: PreferencesServiceNeeds) {
  const sqlite = deps.db.sqlite;
  const getSt = sqlite.prepare('SELECT value FROM workspace_settings WHERE workspace_id = ? AND key = ?').pluck();
  const putSt = sqlite.prepare(
    `INSERT INTO workspace_settings (workspace_id, key, value, updated_at) VALUES (?, ?, ?, ?)
     ON CONFLICT (workspace_id, key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
  );

  function read(workspaceId: string): Preferences {
    const stored = parseJson<unknown>((getSt.get(workspaceId, KEY) as string | undefined) ?? null);
    // A value written by another version that no longer fits reads as the defaults, not as an error.
    const parsed = preferences.safeParse(stored ?? {});
    return parsed.success ? parsed.data : preferences.parse({});
  }

  return {
    get: async (workspaceId: string) => read(workspaceId),
    /** Synchronous read, for the feedback loop's per-message decisions. */
    current: read,

    async update(workspaceId: string, patch: ParsedInput<'preferences.update'>): Promise<Preferences> {
      const cur = read(workspaceId);
      const next = preferences.parse({
        ...cur,
        ...defined({ defaultPreset: patch.defaultPreset, defaultTimeZone: patch.defaultTimeZone }),
        desktop: { ...cur.desktop, ...defined(patch.desktop), localApi: { ...cur.desktop.localApi, ...defined(patch.desktop?.localApi) } },
        engagement: { ...cur.engagement, ...defined(patch.engagement) },
      });
      putSt.run(workspaceId, KEY, JSON.stringify(next), deps.clock.now());
      deps.bus.emit(workspaceId, 'preferences.updated', next);
      return next;
    },
  };
}
export type PreferencesService = ReturnType<typeof preferencesService>;
