import type { Command } from 'commander';
import { scopes as allScopes, type Scope } from '../../../shared/api/define';
import { KilnError } from '../../../shared/errors';
import { localCall, openCore, withDataOptions, type GlobalOpts } from '../context';

function parseScopes(v: string): Scope[] {
  const list = v.split(',').map((s) => s.trim()).filter(Boolean);
  const bad = list.filter((s) => !(allScopes as readonly string[]).includes(s));
  if (list.length === 0 || bad.length > 0) {
    throw new KilnError('VALIDATION_FAILED', `--scopes must be a comma list of ${allScopes.join(', ')}${bad.length ? `; unknown: ${bad.join(', ')}` : ''}`);
  }
  return list as Scope[];
}

export function tokenCommand(program: Command): void {
  const token = program.command('token').description('API tokens (hashed at rest, shown once)');

  withDataOptions(token.command('create').description('create a token and print it alone on stdout'))
    .requiredOption('--name <name>', 'a label, e.g. the person or script using it')
    .option('--scopes <list>', 'read, send, admin (comma separated)', 'read')
    .option('--workspace <slug>', 'workspace (created if missing)', 'default')
    .action(async (o: GlobalOpts & { name: string; scopes: string; workspace: string }) => {
      const scopes = parseScopes(o.scopes);
      const core = await openCore(o, false, { create: true });
      try {
        const { workspaceRepository } = await import('../../core/workspaces/repository');
        const repo = workspaceRepository(core.services.db.kysely);
        if (!(await repo.bySlug(o.workspace))) await repo.create(o.workspace, o.workspace, core.services.clock.now());
        const t = await localCall(core, 'tokens.create', { name: o.name, scopes }, o.workspace);
        process.stdout.write(`${t.token}\n`);
      } finally {
        await core.close();
      }
    });

  withDataOptions(token.command('list').description('list tokens (never the secrets)'))
    .option('--workspace <slug>', 'workspace', 'default')
    .action(async (o: GlobalOpts & { workspace: string }) => {
      const core = await openCore(o, false);
      try {
        for (const t of await localCall(core, 'tokens.list', {}, o.workspace)) {
          process.stdout.write(`${t.id}\t${t.prefix}…\t${t.name}\t${t.scopes.join(',')}\t${t.revokedAt ? 'revoked' : `last used ${t.lastUsedAt ?? 'never'}`}\n`);
        }
      } finally {
        await core.close();
      }
    });

  withDataOptions(token.command('revoke').description('revoke a token by id').argument('<id>'))
    .option('--workspace <slug>', 'workspace', 'default')
    .action(async (id: string, o: GlobalOpts & { workspace: string }) => {
      const core = await openCore(o, false);
      try {
        await localCall(core, 'tokens.revoke', { id }, o.workspace);
        process.stdout.write(`revoked ${id}\n`);
      } finally {
        await core.close();
      }
    });
}
