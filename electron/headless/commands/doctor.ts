import fs from 'node:fs';
import type { Command } from 'commander';
import { openCore, localCall, withDataOptions, type GlobalOpts } from '../context';
import { resolveDataDir } from '../config';
import { describeStages } from '../../../shared/domain/mailbox';

interface Check {
  name: string;
  ok: boolean;
  detail: string;
  /** Optional checks inform; they never fail the command. */
  optional?: boolean;
}

export function doctorCommand(program: Command): void {
  withDataOptions(program.command('doctor').description('check this machine, the data folder, and optionally a mailbox end to end'))
    .option('--mailbox <id-or-email>', 'also test this mailbox stage by stage')
    .option('--workspace <slug>', 'workspace', 'default')
    .action(async (o: GlobalOpts & { mailbox?: string; workspace: string }) => {
      const [{ migrationStatus }, { probeKeytar }] = await Promise.all([import('../../core/db/migrate'), import('../../core/secrets')]);
      const checks: Check[] = [];
      const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
      checks.push({ name: 'node', ok: (major === 20 && minor >= 19) || major >= 22, detail: `v${process.versions.node} (needs 20.19+ or 22.12+)` });

      const dataDir = resolveDataDir(o.data);
      try {
        // Looked at, never created: a doctor pointed at the wrong folder must say so.
        fs.accessSync(dataDir, fs.constants.W_OK);
        checks.push({ name: 'data folder', ok: true, detail: dataDir });
      } catch (e) {
        checks.push({ name: 'data folder', ok: false, detail: `${dataDir}: ${(e as NodeJS.ErrnoException).code}` });
      }

      let core: Awaited<ReturnType<typeof openCore>> | null = null;
      try {
        core = await openCore(o, false);
        const migrations = await migrationStatus(core.services.db);
        checks.push({ name: 'database', ok: migrations.every((m) => m.applied), detail: `${core.services.db.file}, ${migrations.length} migrations applied, WAL` });
        const s = core.services.secrets.describe();
        checks.push({ name: 'secret store', ok: s.ok, detail: `${s.backend} at ${s.location}${s.detail ? ` (${s.detail})` : ''}` });
      } catch (e) {
        checks.push({ name: 'core', ok: false, detail: (e as Error).message });
      }

      const keytar = await probeKeytar({ dataDir, probeTimeoutMs: 3000 });
      checks.push({ name: 'OS keychain (keytar)', ok: keytar.ok, optional: true, detail: keytar.ok ? 'available (use --secret-backend keytar)' : keytar.reason });

      if (core && o.mailbox) {
        try {
          const list = await localCall(core, 'mailboxes.list', {}, o.workspace);
          const m = list.find((x) => x.id === o.mailbox || x.email === o.mailbox!.toLowerCase());
          if (!m) checks.push({ name: `mailbox ${o.mailbox}`, ok: false, detail: 'not found' });
          else {
            const r = await localCall(core, 'mailboxes.test', { id: m.id }, o.workspace);
            for (const [proto, res] of [['smtp', r.smtp], ['imap', r.imap]] as const) {
              if (!res) continue;
              // The stage words the UI shows: "dns passed, connect passed, tls not used, ...".
              const stages = describeStages(res);
              checks.push({ name: `${m.email} ${proto}`, ok: res.ok, detail: res.ok ? stages : `${stages} — ${res.code} ${res.message ?? ''}` });
            }
          }
        } catch (e) {
          checks.push({ name: `mailbox ${o.mailbox}`, ok: false, detail: (e as Error).message });
        }
      }
      await core?.close();

      for (const c of checks) process.stdout.write(`${c.ok ? '✓' : c.optional ? '-' : '✗'} ${c.name}: ${c.detail}\n`);
      if (checks.some((c) => !c.ok && !c.optional)) process.exitCode = 1;
    });
}
