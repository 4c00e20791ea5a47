import { Command, CommanderError } from 'commander';
import { isKilnError } from '../../shared/errors';
import { version } from '../core/version';
import { serveCommand } from './commands/serve';
import { migrateCommand } from './commands/migrate';
import { tokenCommand } from './commands/token';
import { mailboxCommand } from './commands/mailbox';
import { doctorCommand } from './commands/doctor';
import { inspectCommand } from './commands/inspect';

export function buildProgram(): Command {
  const program = new Command('kiln')
    .description('Kiln: email warmup & deliverability manager (headless)')
    .version(version)
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  serveCommand(program);
  migrateCommand(program);
  tokenCommand(program);
  mailboxCommand(program);
  doctorCommand(program);
  inspectCommand(program);
  return program;
}

/** Exit codes: 0 ok, 1 failure at run time, 2 bad usage or invalid input. */
export async function main(argv: string[]): Promise<void> {
  try {
    await buildProgram().parseAsync(argv);
  } catch (e) {
    if (e instanceof CommanderError) {
      // --help and --version also land here, with exit code 0.
      process.exitCode = e.exitCode === 0 ? 0 : 2;
      return;
    }
    if (isKilnError(e)) {
      process.stderr.write(`kiln: ${e.message} (${e.code})\n`);
      const fields = (e.details as { fields?: { path: string; message: string }[] } | undefined)?.fields;
      for (const f of fields ?? []) process.stderr.write(`  ${f.path}: ${f.message}\n`);
      process.exitCode = e.code === 'VALIDATION_FAILED' || e.code === 'INSECURE_TRANSPORT' || e.code === 'NOT_FOUND' ? 2 : 1;
      return;
    }
    process.stderr.write(`kiln: ${(e as Error).message ?? String(e)}\n`);
    process.exitCode = 1;
  }
}
