import type { ParsedInput } from '../../../shared/api/table';
import { KilnError, isKilnError } from '../../../shared/errors';
import type { DmarcIngestResult, DmarcSettings, DmarcSource } from '../../../shared/domain/dmarc';
import type { DmarcReportRow, DmarcSettingsRow } from '../db/schema';
import type { Db } from '../db/connection';
import type { Clock } from '../clock';
import type { EventBus } from '../events/bus';
import type { Logger } from '../log';
import { mailboxRepository } from '../mailboxes/repository';
import { parseJson } from '../util/json';
import { iso, isoOrNull } from '../util/time';
import { dmarcRepository, toRecord, toReport } from './repository';
import { unpackReport, type FileHint } from './unpack';
import { parseReportXml } from './parse';
import { emptyCounts, ingestFromImap } from './ingest';
import { dmarcSummary } from './summary';
import type { CredentialOf } from '../mail/credential';
import type { MailboxRow } from '../db/schema';
import { hasImapAccess } from '../mail/imap';

export const DMARC_DEFAULTS = { folder: 'INBOX', processedFolder: 'DMARC/Processed', failedFolder: 'DMARC/Failed', schedule: true, intervalMinutes: 60 };
/** How often the scheduler looks for due runs (in real time; "due" is read from the injected clock). */
const TICK_MS = 60_000;
const MAX_ROWS = 5_000;
const breathe = () => new Promise<void>((resolve) => setImmediate(resolve));

/** What the DMARC service uses (IMAP ingestion too). */
export interface DmarcServiceNeeds {
  db: Db;
  clock: Clock;
  bus: EventBus;
  log: Logger;
  credentialOf: CredentialOf<MailboxRow>;
  config: { ca?: string[] };
}

/**
 * DMARC aggregate reports of a workspace: read from its reports mailbox (on demand and on a
 * schedule) or uploaded as files, stored once each, summarised as pass rates.
 */
export function dmarcService(deps: DmarcServiceNeeds) {
  const repo = dmarcRepository(deps.db);
  const mailboxes = mailboxRepository(deps.db.kysely);
  /** One run per workspace at a time: a manual run waits for a scheduled one and vice versa. */
  const runs = new Map<string, Promise<unknown>>();
  let timer: NodeJS.Timeout | null = null;
  let stopping = false;

  function defaults(workspaceId: string): DmarcSettingsRow {
    const d = DMARC_DEFAULTS;
    return {
      workspace_id: workspaceId, mailbox_id: null, folder: d.folder, processed_folder: d.processedFolder, failed_folder: d.failedFolder, schedule: 1,
      interval_minutes: d.intervalMinutes, next_run_at: null, last_run_at: null, last_result: null, uidvalidity: null, last_uid: 0, updated_at: deps.clock.now(),
    };
  }
  const settingsRow = async (workspaceId: string) => (await repo.settings(workspaceId)) ?? defaults(workspaceId);

  const toSettings = (r: DmarcSettingsRow): DmarcSettings => ({
    mailboxId: r.mailbox_id,
    folder: r.folder,
    processedFolder: r.processed_folder,
    failedFolder: r.failed_folder,
    schedule: r.schedule === 1,
    intervalMinutes: r.interval_minutes,
    lastRunAt: isoOrNull(r.last_run_at),
    nextRunAt: isoOrNull(r.next_run_at),
    lastRun: parseJson<DmarcIngestResult>(r.last_result),
  });

  /**
   * Unpack, parse and store one report file (rejects with a coded error when it is refused). Each
   * step is synchronous; the event loop gets a turn between them (a 20 MiB report takes seconds).
   */
  async function ingestFile(workspaceId: string, data: Uint8Array, hint: FileHint, source: DmarcSource, sourceRef: string | null): Promise<{ duplicate: boolean; row: DmarcReportRow }> {
    const { xml } = unpackReport(data, hint);
    await breathe();
    const parsed = parseReportXml(xml);
    await breathe();
    return repo.store(workspaceId, parsed, { source, sourceRef, receivedAt: deps.clock.now() });
  }

  function serial<T>(workspaceId: string, fn: () => Promise<T>): Promise<T> {
    const next = (runs.get(workspaceId) ?? Promise.resolve()).catch(() => undefined).then(fn);
    runs.set(workspaceId, next);
    void next.catch(() => undefined).finally(() => {
      if (runs.get(workspaceId) === next) runs.delete(workspaceId);
    });
    return next;
  }

  async function runImap(workspaceId: string, trigger: 'api' | 'schedule'): Promise<DmarcIngestResult> {
    const settings = await settingsRow(workspaceId);
    if (!settings.mailbox_id) throw new KilnError('DMARC_NOT_CONFIGURED', 'No reports mailbox is set up: choose one with dmarc.settings.update');
    const mailbox = await mailboxes.get(workspaceId, settings.mailbox_id);
    if (!mailbox) throw new KilnError('DMARC_NOT_CONFIGURED', 'The reports mailbox was removed: choose another one');
    if (!hasImapAccess(mailbox)) throw new KilnError('DMARC_NOT_CONFIGURED', `Mailbox ${mailbox.email} has no IMAP settings: Kiln cannot read reports from it`);

    const startedAt = deps.clock.now();
    const domains = new Set<string>();
    const counts = emptyCounts();
    let failure: KilnError | null = null;
    try {
      await ingestFromImap(deps, {
        mailbox,
        settings,
        ingestFile: async (data, hint, ref) => {
          const r = await ingestFile(workspaceId, data, hint, 'imap', ref);
          if (!r.duplicate) domains.add(r.row.policy_domain);
          return r.duplicate ? 'duplicate' : 'ingested';
        },
        saveCursor: (uidvalidity, lastUid) => void repo.saveCursor(settings, uidvalidity, lastUid),
        stopping: () => stopping,
      }, counts);
    } catch (e) {
      if (!isKilnError(e)) throw e;
      failure = e;
    }
    const now = deps.clock.now();
    const result: DmarcIngestResult = { ...counts, startedAt: iso(startedAt), finishedAt: iso(now), error: failure ? { code: failure.code, message: failure.message } : null };
    // Re-read: the run moved the cursor; settings may have changed meanwhile (keep those).
    const latest = await settingsRow(workspaceId);
    await repo.saveSettings({ ...latest, last_run_at: now, last_result: JSON.stringify(result), next_run_at: latest.schedule === 1 && latest.mailbox_id ? now + latest.interval_minutes * 60_000 : null });
    deps.log.info({ workspaceId, trigger, ingested: result.ingested, duplicates: result.duplicates, rejected: result.rejected.length, skipped: result.skipped, error: result.error?.code }, 'DMARC reports mailbox read');
    for (const r of result.rejected) deps.log.warn({ workspaceId, code: r.code, uid: r.uid }, 'DMARC report refused');
    deps.bus.emit(workspaceId, 'dmarc.ingested', { source: 'imap', ingested: result.ingested, duplicates: result.duplicates, rejected: result.rejected.length, skipped: result.skipped, domains: [...domains].sort() });
    if (failure) throw failure;
    return result;
  }

  async function runDue(): Promise<void> {
    if (stopping) return;
    for (const { workspace_id } of await repo.due(deps.clock.now())) {
      if (stopping) return;
      await serial(workspace_id, () => runImap(workspace_id, 'schedule')).catch((err: unknown) => {
        deps.log.warn({ workspaceId: workspace_id, code: isKilnError(err) ? err.code : 'INTERNAL' }, 'scheduled DMARC read failed');
      });
    }
  }

  return {
    async getSettings(workspaceId: string): Promise<DmarcSettings> {
      return toSettings(await settingsRow(workspaceId));
    },

    async updateSettings(workspaceId: string, patch: ParsedInput<'dmarc.settings.update'>): Promise<DmarcSettings> {
      const cur = await settingsRow(workspaceId);
      const next: DmarcSettingsRow = {
        ...cur,
        mailbox_id: patch.mailboxId === undefined ? cur.mailbox_id : patch.mailboxId,
        folder: patch.folder ?? cur.folder,
        processed_folder: patch.processedFolder ?? cur.processed_folder,
        failed_folder: patch.failedFolder ?? cur.failed_folder,
        schedule: patch.schedule === undefined ? cur.schedule : patch.schedule ? 1 : 0,
        interval_minutes: patch.intervalMinutes ?? cur.interval_minutes,
        updated_at: deps.clock.now(),
      };
      if (next.mailbox_id && next.mailbox_id !== cur.mailbox_id) {
        const mb = await mailboxes.get(workspaceId, next.mailbox_id);
        if (!mb) throw new KilnError('NOT_FOUND', `No mailbox ${next.mailbox_id} in this workspace`);
        if (!mb.imap_host) throw new KilnError('MAILBOX_NOT_READABLE', `Mailbox ${mb.email} has no IMAP settings: Kiln cannot read reports from it`);
      }
      const folders = [next.folder, next.processed_folder, next.failed_folder].map((f) => f.replace(/^\/+|\/+$/g, '').toUpperCase());
      if (new Set(folders).size !== 3) {
        throw new KilnError('VALIDATION_FAILED', 'The folder read, the processed folder and the failed folder must be three different folders', {
          fields: [{ path: 'processedFolder', message: 'must differ from folder and failedFolder' }],
        });
      }
      // Another mailbox or folder: its UIDs mean nothing here, start from its beginning.
      if (next.mailbox_id !== cur.mailbox_id || next.folder !== cur.folder) {
        next.uidvalidity = null;
        next.last_uid = 0;
      }
      const timing = next.mailbox_id !== cur.mailbox_id || next.schedule !== cur.schedule || next.interval_minutes !== cur.interval_minutes || cur.next_run_at === null;
      if (next.schedule !== 1 || !next.mailbox_id) next.next_run_at = null;
      else if (timing) next.next_run_at = deps.clock.now() + next.interval_minutes * 60_000;
      await repo.saveSettings(next);
      return toSettings(next);
    },

    /** Read the reports mailbox now. */
    ingest: (workspaceId: string) => serial(workspaceId, () => runImap(workspaceId, 'api')),

    async upload(workspaceId: string, input: ParsedInput<'dmarc.upload'>) {
      const b64 = input.content.replace(/\s+/g, '');
      if (!/^[A-Za-z0-9+/]*={0,2}$/.test(b64) || b64.length % 4 === 1) {
        throw new KilnError('VALIDATION_FAILED', 'content must be base64', { fields: [{ path: 'content', message: 'must be base64' }] });
      }
      const hint = { filename: input.filename ?? null, contentType: input.contentType ?? null };
      const r = await ingestFile(workspaceId, Buffer.from(b64, 'base64'), hint, 'upload', input.filename ?? null);
      deps.log.info({ workspaceId, reportId: r.row.id, duplicate: r.duplicate }, 'DMARC report uploaded');
      deps.bus.emit(workspaceId, 'dmarc.ingested', { source: 'upload', ingested: r.duplicate ? 0 : 1, duplicates: r.duplicate ? 1 : 0, rejected: 0, skipped: 0, domains: r.duplicate ? [] : [r.row.policy_domain] });
      return { duplicate: r.duplicate, report: toReport(r.row) };
    },

    list: (workspaceId: string, q: ParsedInput<'dmarc.reports'>) => repo.list(workspaceId, q),

    async get(workspaceId: string, id: string) {
      const row = await repo.get(workspaceId, id);
      if (!row) throw new KilnError('NOT_FOUND', `No DMARC report ${id} in this workspace`);
      const rows = await repo.records(workspaceId, id, MAX_ROWS + 1);
      return { ...toReport(row), rows: rows.slice(0, MAX_ROWS).map(toRecord), rowsTruncated: rows.length > MAX_ROWS };
    },

    summary: (workspaceId: string, q: ParsedInput<'dmarc.summary'>) => dmarcSummary(deps.db.kysely, workspaceId, q, deps.clock.now()),

    /** Run every workspace's scheduled read that is due by the clock (the timer calls this; tests may too). */
    runDue,

    /** Start the schedule timer. Without it, reads happen only on demand. */
    start(): void {
      timer = setInterval(() => void runDue(), TICK_MS);
      timer.unref();
    },

    /** Stop the timer and let running reads finish (they stop between batches). */
    async stop(): Promise<void> {
      stopping = true;
      if (timer) clearInterval(timer);
      await Promise.allSettled([...runs.values()]);
    },
  };
}
export type DmarcService = ReturnType<typeof dmarcService>;
