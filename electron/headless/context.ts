import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import type { CoreInternals } from '../core/app';
import { KilnError, type Envelope } from '../../shared/errors';
import type { Input, MethodName, Output } from '../../shared/api/table';
import { blocklistScanHours, dnsServers, envNumber, parseBackoff, readCaFile, resolveDataDir, secretBackend } from './config';

// The core (SQLite, nodemailer, imapflow, fastify...) is imported only when a command runs, so
// `kiln --help` and input errors answer at once.

export interface GlobalOpts {
  data?: string;
  secretBackend?: string;
  caFile?: string;
  dnsServers?: string;
  logLevel?: string;
  retryBackoff?: string;
  /** commander's --no-feedback sets this to false. */
  feedback?: boolean;
  /** commander's --no-warmup sets this to false. */
  warmup?: boolean;
  /** `serve` only: hours between blocklist scans, 0 = off. */
  blocklistScanHours?: string;
}

/** Options shared by every command that opens a data folder. */
export function withDataOptions(cmd: Command): Command {
  return cmd
    .option('--data <dir>', 'data folder (env KILN_DATA; default ~/.local/share/kiln)')
    .option('--secret-backend <backend>', 'auto | file | keytar (env KILN_SECRET_BACKEND)')
    .option('--ca-file <pem>', 'extra CA certificate(s) to trust for SMTP/IMAP TLS (env KILN_CA_FILE)')
    .option('--dns-servers <list>', 'DNS servers for deliverability checks, e.g. 127.0.0.1:5353 (env KILN_DNS_SERVERS; default: the system\'s)')
    .option('--log-level <level>', 'fatal | error | warn | info | debug (env KILN_LOG_LEVEL)');
}

/**
 * Only `serve`, `migrate` and `token create` may start a data folder. Every other command refuses a
 * folder without a database: a mistyped --data or a missing KILN_DATA must not quietly answer from
 * a new, empty Kiln.
 */
export function requireKilnData(dataDir: string): void {
  if (fs.existsSync(path.join(dataDir, 'kiln.db'))) return;
  throw new KilnError(
    'NOT_FOUND',
    `no Kiln data in ${dataDir} (no kiln.db there). Use the data folder the server uses (--data or KILN_DATA, the same for the CLI as for \`kiln serve\`), or start one with \`kiln serve\` or \`kiln migrate\``,
  );
}

export async function openCore(o: GlobalOpts, dispatch: boolean, opts: { create?: boolean; publicUrl?: () => string | undefined } = {}): Promise<CoreInternals> {
  const dataDir = resolveDataDir(o.data);
  if (!opts.create) requireKilnData(dataDir);
  const [{ createCore }, { createLogger }, { headlessPrinter }] = await Promise.all([import('../core/app'), import('../core/log'), import('./print-pdf')]);
  return createCore({
    dataDir,
    secretBackend: secretBackend(o.secretBackend ?? process.env.KILN_SECRET_BACKEND),
    ca: readCaFile(o.caFile ?? process.env.KILN_CA_FILE),
    dnsServers: dnsServers(o.dnsServers ?? process.env.KILN_DNS_SERVERS),
    dispatch,
    lockHolder: 'kiln serve',
    publicUrl: opts.publicUrl,
    printPdf: headlessPrinter(),
    feedback: dispatch && o.feedback !== false && process.env.KILN_FEEDBACK !== '0',
    warmup: dispatch && o.warmup !== false && process.env.KILN_WARMUP !== '0',
    retryBackoffMinutes: parseBackoff(o.retryBackoff ?? process.env.KILN_RETRY_BACKOFF),
    // Interrupted sends: how long readable mailboxes are searched before one resend.
    settleGraceMs: (envNumber('KILN_SETTLE_GRACE_SECONDS', process.env.KILN_SETTLE_GRACE_SECONDS, 1, 86_400) ?? 0) * 1000 || undefined,
    // The send queue's group-commit window (tests hold it open to crash inside it).
    commitDelayMs: envNumber('KILN_COMMIT_DELAY_MS', process.env.KILN_COMMIT_DELAY_MS, 1, 600_000),
    // Only the long-running server scans on a schedule; one-shot commands never do.
    blocklistScanHours: dispatch ? blocklistScanHours(o.blocklistScanHours ?? process.env.KILN_BLOCKLIST_SCAN_HOURS) : 0,
    logger: createLogger({ level: o.logLevel ?? process.env.KILN_LOG_LEVEL ?? (dispatch ? 'info' : 'warn') }),
  });
}

/** Run a method as a local admin of a workspace (CLI users own the data folder). */
export async function localCall<M extends MethodName>(core: CoreInternals, method: M, input: Input<M>, workspaceSlug?: string): Promise<Output<M>> {
  let workspaceId = core.defaultWorkspaceId;
  if (workspaceSlug) {
    const { workspaceRepository } = await import('../core/workspaces/repository');
    const ws = await workspaceRepository(core.services.db.kysely).bySlug(workspaceSlug);
    if (!ws) throw new KilnError('NOT_FOUND', `No workspace "${workspaceSlug}"`);
    workspaceId = ws.id;
  }
  const res = (await core.call(method, input, { workspaceId, scopes: ['admin'], owner: true })) as Envelope<Output<M>>;
  if (!res.ok) throw new KilnError(res.error.code, res.error.message, res.error.details);
  return res.data;
}
