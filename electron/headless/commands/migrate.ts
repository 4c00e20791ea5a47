import type { Command } from 'commander';
import { resolveDataDir } from '../config';

export function migrateCommand(program: Command): void {
  program
    .command('migrate')
    .description('apply pending database migrations (serve does this on start too)')
    .option('--data <dir>', 'data folder (env KILN_DATA)')
    .option('--status', 'only list migrations and whether they are applied')
    .action(async (o: { data?: string; status?: boolean }) => {
      const [{ openDatabase }, { migrateToLatest, migrationStatus }] = await Promise.all([import('../../core/db/connection'), import('../../core/db/migrate')]);
      const db = openDatabase(resolveDataDir(o.data));
      try {
        if (!o.status) {
          const applied = await migrateToLatest(db);
          process.stdout.write(applied.length ? `applied: ${applied.join(', ')}\n` : 'database is up to date\n');
        }
        for (const m of await migrationStatus(db)) process.stdout.write(`${m.applied ? '[x]' : '[ ]'} ${m.name}\n`);
      } finally {
        await db.close();
      }
    });
}
