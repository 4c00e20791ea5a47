import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { openCore, withDataOptions, type GlobalOpts } from '../context';
import { applyOAuthEnv, oauthAppsFromEnv } from '../oauth-env';
import { parsePort } from '../config';
import { assertPortFree, portError } from '../port';
import { KilnError } from '../../../shared/errors';

interface ServeOpts extends GlobalOpts {
  host?: string;
  port?: string;
  allowedHost?: string[];
  publicUrl?: string;
}

const DEFAULT_PORT = 7420;

export function serveCommand(program: Command): void {
  withDataOptions(program.command('serve').description('run the core, the REST/control API and the web UI until SIGTERM'))
    .option('--host <addr>', 'interface to bind (env KILN_HOST)', process.env.KILN_HOST || '127.0.0.1')
    .option('--port <n>', `TCP port (env KILN_PORT, default ${DEFAULT_PORT})`, process.env.KILN_PORT || String(DEFAULT_PORT))
    .option('--no-feedback', 'do not watch mailboxes over IMAP (env KILN_FEEDBACK=0)')
    .option('--no-warmup', 'do not plan or send warmup mail; API sends still go out (env KILN_WARMUP=0)')
    .option('--blocklist-scan-hours <n>', 'hours between DNS blocklist scans, 0 = off (env KILN_BLOCKLIST_SCAN_HOURS, default 6)')
    .option('--retry-backoff <minutes>', 'minutes before each retry of a transient failure (env KILN_RETRY_BACKOFF)', process.env.KILN_RETRY_BACKOFF ?? '1,5,15,60')
    .option('--allowed-host <name...>', 'extra Host header names to accept (reverse proxy name)', process.env.KILN_ALLOWED_HOSTS?.split(',').filter(Boolean))
    .option('--public-url <url>', 'origin browsers reach this server at, for OAuth sign-ins coming back to <url>/oauth/callback (env KILN_PUBLIC_URL; default http://<host>:<port>)', process.env.KILN_PUBLIC_URL)
    .action(async (o: ServeOpts) => serve(o));
}

async function serve(o: ServeOpts): Promise<void> {
  const port = parsePort(o.port ?? String(DEFAULT_PORT));
  const host = o.host ?? '127.0.0.1';
  // Malformed KILN_OAUTH_* variables are refused before anything starts.
  const envApps = oauthAppsFromEnv(process.env);
  // A busy port is refused before the data folder, database, lock or token exist.
  await assertPortFree(host, port);
  const { createServer } = await import('../../server/app');
  const given = publicUrlOf(o.publicUrl);
  // Without --public-url, the address actually bound (port 0 picks one at listen).
  let bound: string | undefined;
  const core = await openCore(o, true, { create: true, publicUrl: () => given ?? bound });
  const log = core.services.log;
  const staticDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../renderer');
  let app: Awaited<ReturnType<typeof createServer>> | null = null;
  let address: string;
  try {
    app = await createServer(core, { host: o.host, port, allowedHosts: o.allowedHost, staticDir, logger: log, version: core.services.config.version });
    address = await app.listen({ host, port }).catch((e: NodeJS.ErrnoException) => {
      throw e.code ? portError(host, port, e) : e;
    });
    bound = address;
    await bootstrapToken(core, path.dirname(core.services.db.file));
    const apps = await applyOAuthEnv(core, envApps);
    if (apps > 0) log.info({ apps }, 'oauth apps set from the environment');
  } catch (e) {
    // Taken between the probe and now, or any other start failure: release the lock, the
    // database and every timer, so the process exits instead of idling without a listener.
    await app?.close().catch(() => {});
    await core.close(0);
    throw e;
  }
  log.info({ address, data: core.services.db.file }, 'kiln listening');
  process.stderr.write(`Kiln is serving ${address} (API ${address}/api/v1, docs ${address}/api/openapi.json)\n`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) {
      process.stderr.write('kiln: second signal, exiting now\n');
      process.exit(1);
    }
    stopping = true;
    log.info({ signal }, 'shutting down: no new requests, finishing in-flight sends');
    await app.close(); // stop intake first
    await core.close(30_000); // then drain the dispatcher and close the database
    log.info('stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

/**
 * First start: no token exists yet, so create one admin token; the UI and API need it. On a
 * terminal it is shown once; otherwise (systemd, a pipe: places that end up in logs) it goes to a
 * private file in the data folder instead, and only the file's path is printed.
 */
async function bootstrapToken(core: Awaited<ReturnType<typeof openCore>>, dataDir: string): Promise<void> {
  const existing = await core.services.tokens.list(core.defaultWorkspaceId);
  if (existing.length > 0) return;
  const t = await core.services.tokens.create(core.defaultWorkspaceId, 'initial admin', ['admin']);
  if (process.stderr.isTTY) {
    process.stderr.write(
      `\nFirst start: an admin API token was created. It is shown once; keep it somewhere safe:\n\n  ${t.token}\n\n` +
        'Open the web UI and paste it, or send it as "Authorization: Bearer <token>". Create more with `kiln token create`.\n\n',
    );
    return;
  }
  const file = path.join(dataDir, 'initial-admin-token');
  fs.writeFileSync(file, `${t.token}\n`, { mode: 0o600, flag: 'wx' });
  process.stderr.write(`First start: an admin API token was written to ${file} (mode 0600). Read it, store it safely, then delete the file.\n`);
}

/** Where browsers come back to when they do not reach the bound address (a reverse proxy, a DNS name): an http(s) origin. */
function publicUrlOf(given: string | undefined): string | undefined {
  if (!given) return undefined;
  let u: URL;
  try {
    u = new URL(given);
  } catch {
    throw new KilnError('VALIDATION_FAILED', `--public-url: "${given}" is not a URL`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new KilnError('VALIDATION_FAILED', '--public-url must be an http(s) URL');
  return u.origin;
}
