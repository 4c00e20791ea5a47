import { Migrator, type MigrationProvider, type MigrationResultSet } from 'kysely';
import { KilnError } from '../../../shared/errors';
import type { Db } from './connection';
import { migrations } from './migrations';

const provider: MigrationProvider = { getMigrations: async () => migrations };

function migrator(db: Db): Migrator {
  return new Migrator({ db: db.kysely, provider, migrationTableName: 'kiln_migrations', migrationLockTableName: 'kiln_migrations_lock' });
}

/** Apply pending migrations. A database migrated by a newer Kiln stops the start with MIGRATION_UNKNOWN. */
export async function migrateToLatest(db: Db): Promise<string[]> {
  const known = new Set(Object.keys(migrations));
  const applied = await appliedMigrations(db);
  const unknown = applied.filter((name) => !known.has(name));
  if (unknown.length > 0) {
    throw new KilnError(
      'MIGRATION_UNKNOWN',
      `The database ${db.file} has migrations this version of Kiln does not know (${unknown.join(', ')}); ` +
        'it was probably opened by a newer Kiln. Upgrade Kiln or use another data folder.',
      { unknown },
    );
  }
  const result: MigrationResultSet = await migrator(db).migrateToLatest();
  if (result.error) {
    const failed = result.results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new KilnError('MIGRATION_FAILED', `Migration ${failed} failed: ${String((result.error as Error).message ?? result.error)}`);
  }
  return (result.results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

export async function appliedMigrations(db: Db): Promise<string[]> {
  const exists = db.sqlite
    .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'kiln_migrations'")
    .get();
  if (!exists) return [];
  const rows = db.sqlite.prepare('SELECT name FROM kiln_migrations ORDER BY name').all() as { name: string }[];
  return rows.map((r) => r.name);
}

export async function migrationStatus(db: Db): Promise<{ name: string; applied: boolean }[]> {
  const applied = new Set(await appliedMigrations(db));
  return Object.keys(migrations).map((name) => ({ name, applied: applied.has(name) }));
}
