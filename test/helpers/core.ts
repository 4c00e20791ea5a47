import type { LocalApiStatus } from '../../shared/domain/local-api';
import fs from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import pino from 'pino';
import { createCore, type CoreInternals } from '../../electron/core/app';
import { ManualClock } from '../../electron/core/clock';
import type { OAuthFetch } from '../../electron/core/oauth/servers';
import type { EngagementSettings } from '../../electron/core/feedback/plan';
import type { ContentProvider } from '../../electron/core/warmup/content';
import type { PrintPdf } from '../../electron/core/reports/print';
import type { Input, MethodName, Output } from '../../shared/api/table';
import type { CallContext } from '../../electron/core/api/context';
import { KilnError } from '../../shared/errors';
import { tempDataDir } from './kiln';
import { waitFor } from './wait';

export interface TestCore {
  core: CoreInternals;
  clock: ManualClock;
  dataDir: string;
  logs: string[];
  ctx: CallContext;
  call<M extends MethodName>(method: M, input: Input<M>, ctx?: CallContext): Promise<Output<M>>;
  /** Wait until a message reaches one of the statuses (the dispatcher runs on real timers). */
  waitStatus(id: string, statuses: string[], timeoutMs?: number): Promise<Output<'messages.get'>>;
  /** Move the simulated clock and let the dispatcher look for due work. */
  advance(ms: number): void;
}

/** An in-process core on a temp data folder with a manual clock and captured logs. */
export async function startTestCore(
  opts: { ca?: string[]; dataDir?: string; backoff?: number[]; feedbackPollMs?: number; engagement?: Partial<EngagementSettings>; now?: number; warmup?: boolean; content?: ContentProvider; dnsServers?: string[]; webhookAllowPrivate?: boolean; webhookTimeoutMs?: number; authCheckSchedule?: boolean; oauthFetch?: OAuthFetch; openBrowser?: (url: string) => void; publicUrl?: string; printPdf?: PrintPdf; localApi?: () => LocalApiStatus } = {},
): Promise<TestCore> {
  const dataDir = opts.dataDir ?? tempDataDir();
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, cb) {
      logs.push(String(chunk));
      cb();
    },
  });
  const clock = new ManualClock(opts.now ?? Date.UTC(2026, 10, 23, 10, 0, 0));
  const core = await createCore({
    dataDir,
    clock,
    ca: opts.ca,
    pollMs: 50,
    retryBackoffMinutes: opts.backoff,
    feedbackPollMs: opts.feedbackPollMs,
    engagement: opts.engagement,
    warmup: opts.warmup,
    content: opts.content,
    dnsServers: opts.dnsServers,
    webhookAllowPrivate: opts.webhookAllowPrivate,
    webhookTimeoutMs: opts.webhookTimeoutMs,
    openBrowser: opts.openBrowser,
    publicUrl: opts.publicUrl,
    localApi: opts.localApi,
    // Off unless asked: a scheduled pass would query DNS for every mailbox domain.
    authCheckSchedule: opts.authCheckSchedule ?? false,
    oauthFetch: opts.oauthFetch,
    printPdf: opts.printPdf,
    logger: pino({ level: 'debug' }, sink),
  });
  const ctx: CallContext = { workspaceId: core.defaultWorkspaceId, scopes: ['admin'] };
  const call = async <M extends MethodName>(method: M, input: Input<M>, c: CallContext = ctx): Promise<Output<M>> => {
    const res = await core.call(method, input, c);
    if (!res.ok) throw new KilnError(res.error.code, res.error.message, res.error.details);
    return res.data as Output<M>;
  };
  return {
    core,
    clock,
    dataDir,
    logs,
    ctx,
    call,
    waitStatus: (id, statuses, timeoutMs = 15_000) =>
      waitFor(
        async () => {
          const m = await call('messages.get', { id });
          return statuses.includes(m.status) ? m : undefined;
        },
        { timeoutMs, what: `message ${id} to reach ${statuses.join('|')}` },
      ),
    advance(ms) {
      clock.advance(ms);
      core.services.dispatcher?.kick();
      core.services.webhookWorker?.kick();
    },
  };
}

/** The error code a call fails with, or 'OK' when it succeeds. */
export async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    return (e as KilnError).code;
  }
  return 'OK';
}

/** Where a mailbox's refresh token is kept now (its row's ref; a new sign-in gets a new one). */
export function refreshRefOf(k: TestCore, mailboxId: string): string | null {
  const row = k.core.services.db.sqlite.prepare('SELECT oauth_secret_ref AS ref FROM mailboxes WHERE id = ?').get(mailboxId) as { ref: string | null } | undefined;
  return row?.ref ?? null;
}

/** Every secret ref a file-backed store holds for one mailbox (the file's entry names are refs, values are sealed). */
export function mailboxSecretRefs(k: TestCore, mailboxId: string): string[] {
  const file = JSON.parse(fs.readFileSync(path.join(k.dataDir, 'secrets.enc.json'), 'utf8')) as { entries: Record<string, unknown> };
  return Object.keys(file.entries).filter((r) => r.startsWith(`mailbox/${mailboxId}/`)).sort();
}
