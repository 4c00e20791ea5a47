// Inbox placement tests: one message from a mailbox to each seed (its own envelope, so one seed's
// filtering never affects another's), then where each copy landed — read by the feedback loop's
// watchers, so only seeds Kiln can read are judged — and how the received copy authenticated.
// A seed not seen by the time limit is missing. Seeds do not engage with test mail: the report
// shows raw placement.
import { stringify } from 'csv-stringify/sync';
import type { ParsedInput } from '../../../shared/api/table';
import type { Provider } from '../../../shared/domain/mailbox';
import {
  copyAuth,
  placementSchedule,
  type CopyAuth,
  type PlacementSchedule,
  type PlacementTest,
  type SeedPlacement,
  type SeedResult,
} from '../../../shared/domain/placement-test';
import { isoWeekday, localDate, localTime } from '../../../shared/warmup/calendar';
import { isKilnError, KilnError } from '../../../shared/errors';
import type { Db } from '../db/connection';
import type { Clock } from '../clock';
import type { EventBus } from '../events/bus';
import type { Logger } from '../log';
import type { DnsResolver } from '../checks/resolver';
import type { MailboxService } from '../mailboxes/service';
import type { MessageService } from '../messages/service';
import type { WarmupConfig } from '../warmup/config';
import type { AuthCheckService } from '../checks/auth/service';
import type { MessageRow, PlacementTestRow } from '../db/schema';
import { neutralise } from '../recipients/csv';
import { providerOf } from '../providers';
import { newId } from '../util/ids';
import { parseJson } from '../util/json';
import { iso } from '../util/time';
import { authenticateCopy } from './copy-auth';

const MAX_SEEDS = 500;
const SCHEDULE_KEY = 'placementTests.schedule';
const MINUTE = 60_000;

interface SeedRow {
  address: string;
  provider: string;
  readable: number;
  message_id: string | null;
  error: string | null;
  auth: string | null;
  status: string | null;
  placement: string | null;
  folder: string | null;
  seen_at: number | null;
}

type TestRow = PlacementTestRow;

const emptyCounts = () => ({ total: 0, inbox: 0, spam: 0, other: 0, missing: 0, pending: 0 });

function placementOf(s: SeedRow, now: number, deadline: number): SeedPlacement {
  if (s.placement) return s.placement === 'inbox' || s.placement === 'spam' ? s.placement : 'other';
  if (!s.message_id || s.status === 'failed' || s.status === 'bounced') return 'failed';
  if (!s.readable) return 'unreadable';
  return now >= deadline ? 'missing' : 'pending';
}

/** What placement tests use. */
export interface PlacementTestServiceNeeds {
  db: Db;
  clock: Clock;
  bus: EventBus;
  log: Logger;
  dns: DnsResolver;
  mailboxes: Pick<MailboxService, 'get'>;
  messages: Pick<MessageService, 'enqueue'>;
  warmupConfig: Pick<WarmupConfig, 'content'>;
  authChecks: Pick<AuthCheckService, 'learnFromSource'>;
}

export function placementTestService(deps: PlacementTestServiceNeeds) {
  const sqlite = deps.db.sqlite;
  const seedsOf = sqlite.prepare(
    `SELECT s.address, s.provider, s.readable, s.message_id, s.error, s.auth, m.status, p.placement, p.folder, p.seen_at
       FROM placement_test_seeds s
       LEFT JOIN messages m ON m.id = s.message_id
       LEFT JOIN message_placements p ON p.message_id = s.message_id AND p.recipient = s.address
      WHERE s.test_id = ? ORDER BY s.address`,
  );
  const testById = sqlite.prepare('SELECT * FROM placement_tests WHERE workspace_id = ? AND id = ?');
  const testOfMessage = sqlite.prepare('SELECT t.id, t.workspace_id FROM placement_test_seeds s JOIN placement_tests t ON t.id = s.test_id WHERE s.message_id = ? AND s.address = ?');
  const setAuth = sqlite.prepare('UPDATE placement_test_seeds SET auth = ? WHERE message_id = ? AND address = ? AND auth IS NULL');
  const complete = sqlite.prepare('UPDATE placement_tests SET completed_at = ? WHERE id = ? AND completed_at IS NULL');
  const readableSt = sqlite.prepare("SELECT 1 FROM mailboxes WHERE email = ? AND deleted_at IS NULL AND imap_host IS NOT NULL AND status != 'error'").pluck();
  const getSetting = sqlite.prepare('SELECT value FROM workspace_settings WHERE workspace_id = ? AND key = ?').pluck();
  const putSetting = sqlite.prepare(
    `INSERT INTO workspace_settings (workspace_id, key, value, updated_at) VALUES (?, ?, ?, ?)
     ON CONFLICT (workspace_id, key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
  );

  function report(t: TestRow): PlacementTest {
    const now = deps.clock.now();
    const seeds: SeedResult[] = (seedsOf.all(t.id) as SeedRow[]).map((s) => {
      const parsed = copyAuth.safeParse(parseJson<unknown>(s.auth));
      return {
        address: s.address,
        provider: s.provider as Provider,
        placement: placementOf(s, now, t.deadline_at),
        folder: s.folder,
        seenAt: s.seen_at === null ? null : iso(s.seen_at),
        messageId: s.message_id,
        auth: parsed.success ? parsed.data : null,
        error: s.error,
      };
    });
    const totals = emptyCounts();
    const byProvider = new Map<Provider, ReturnType<typeof emptyCounts>>();
    for (const s of seeds) {
      // Seeds Kiln cannot read or never sent to say nothing about placement.
      if (s.placement === 'unreadable' || s.placement === 'failed') continue;
      const p = byProvider.get(s.provider) ?? byProvider.set(s.provider, emptyCounts()).get(s.provider)!;
      for (const c of [totals, p]) {
        c.total++;
        c[s.placement]++;
      }
    }
    const done = totals.pending === 0 || now >= t.deadline_at;
    let completedAt = t.completed_at;
    if (done && completedAt === null) {
      completedAt = Math.min(now, t.deadline_at);
      complete.run(completedAt, t.id);
    }
    const answered = totals.inbox + totals.spam + totals.other + totals.missing;
    return {
      id: t.id,
      mailboxId: t.mailbox_id,
      from: t.from_addr,
      subject: t.subject,
      trigger: t.trigger,
      status: done ? 'complete' : 'running',
      createdAt: iso(t.created_at),
      deadlineAt: iso(t.deadline_at),
      completedAt: completedAt === null ? null : iso(completedAt),
      inboxRate: answered > 0 ? totals.inbox / answered : null,
      totals,
      byProvider: [...byProvider].map(([provider, c]) => ({ provider, ...c })).sort((a, b) => a.provider.localeCompare(b.provider)),
      seeds,
    };
  }

  function mustGet(workspaceId: string, id: string): TestRow {
    const row = testById.get(workspaceId, id) as TestRow | undefined;
    if (!row) throw new KilnError('NOT_FOUND', `No placement test ${id} in this workspace`);
    return row;
  }

  async function seedAddresses(workspaceId: string, given: string[] | undefined): Promise<string[]> {
    if (given && given.length > 0) return [...new Set(given)];
    const rows = await deps.db.kysely.selectFrom('recipients').select('address').where('workspace_id', '=', workspaceId).where('kind', '=', 'seed').orderBy('address').limit(MAX_SEEDS + 1).execute();
    if (rows.length === 0) throw new KilnError('VALIDATION_FAILED', 'This workspace has no seeds: add seed addresses under Recipients, or list them in the request', { fields: [{ path: 'seeds', message: 'no seeds' }] });
    return rows.map((r) => r.address);
  }

  let timer: NodeJS.Timeout | null = null;

  const service = {
    /** Look for due weekly tests every few minutes (the hour is checked on the injected clock). */
    start(everyMs = 5 * MINUTE): void {
      timer ??= setInterval(() => void service.tick().catch((e: unknown) => deps.log.warn({ err: (e as Error).message }, 'placement schedule failed')), everyMs);
      timer.unref?.();
    },
    stop(): void {
      if (timer) clearInterval(timer);
      timer = null;
    },

    async create(workspaceId: string, input: ParsedInput<'placementTests.create'>, trigger: 'manual' | 'schedule' = 'manual'): Promise<PlacementTest> {
      const mailbox = await deps.mailboxes.get(workspaceId, input.mailboxId);
      if (mailbox.status === 'paused') throw new KilnError('MAILBOX_PAUSED', `${mailbox.email} is paused: resume it to run a placement test`);
      const seeds = await seedAddresses(workspaceId, input.seeds);
      if (seeds.length > MAX_SEEDS) throw new KilnError('VALIDATION_FAILED', `At most ${MAX_SEEDS} seeds per test`, { fields: [{ path: 'seeds', message: `at most ${MAX_SEEDS}` }] });
      const id = newId('plt');
      const now = deps.clock.now();
      let subject = input.subject;
      let text = input.text;
      const html = input.html;
      if (!subject || (text === undefined && html === undefined)) {
        // No content given: a warmup sample, as the workspace's content provider writes them.
        const provider = await deps.warmupConfig.content(workspaceId);
        const sample = await provider.generate({
          kind: 'warmup',
          seed: id,
          from: { address: mailbox.email, name: mailbox.displayName },
          to: { address: seeds[0]!, name: null },
          at: now,
          timeZone: mailbox.timeZone,
        });
        subject ??= sample.subject;
        if (text === undefined && html === undefined) text = sample.text;
      }
      await deps.db.kysely
        .insertInto('placement_tests')
        .values({ id, workspace_id: workspaceId, mailbox_id: mailbox.id, from_addr: mailbox.email, subject: subject!, trigger, created_at: now, deadline_at: now + input.timeLimitMinutes * MINUTE, completed_at: null })
        .execute();
      for (const address of seeds) {
        let messageId: string | null = null;
        let error: string | null = null;
        try {
          messageId = (await deps.messages.enqueue(workspaceId, { mailboxId: mailbox.id, to: [address], subject: subject!, text, html }, 'placement')).id;
        } catch (e) {
          if (!isKilnError(e)) throw e;
          error = `${e.code}: ${e.message}`;
        }
        await deps.db.kysely
          .insertInto('placement_test_seeds')
          .values({ test_id: id, address, provider: providerOf(address), readable: readableSt.get(address) ? 1 : 0, message_id: messageId, error, auth: null })
          .execute();
      }
      deps.log.info({ placementTest: id, seeds: seeds.length, trigger }, 'placement test started');
      return report(mustGet(workspaceId, id));
    },

    get: async (workspaceId: string, id: string) => report(mustGet(workspaceId, id)),

    async list(workspaceId: string, q: { limit: number; cursor?: string }) {
      let query = deps.db.kysely.selectFrom('placement_tests').selectAll().where('workspace_id', '=', workspaceId);
      if (q.cursor) query = query.where('id', '<', q.cursor);
      const rows = (await query.orderBy('id', 'desc').limit(q.limit + 1).execute()) as TestRow[];
      const page = rows.slice(0, q.limit);
      return { items: page.map(report), nextCursor: rows.length > q.limit ? (page.at(-1)?.id ?? null) : null };
    },

    async exportCsv(workspaceId: string, id: string) {
      const t = report(mustGet(workspaceId, id));
      const auth = (a: CopyAuth | null, k: 'spf' | 'dkim' | 'dmarc') => a?.[k].result ?? '';
      const rows = t.seeds.map((s) => [s.address, s.provider, s.placement, s.folder ?? '', s.seenAt ?? '', auth(s.auth, 'spf'), auth(s.auth, 'dkim'), auth(s.auth, 'dmarc'), s.auth?.ip ?? '', s.error ?? ''].map(neutralise));
      const csv = stringify([['seed', 'provider', 'placement', 'folder', 'seen_at', 'spf', 'dkim', 'dmarc', 'sending_ip', 'error'], ...rows]);
      return { filename: `placement-test-${t.createdAt.slice(0, 10)}-${t.id}.csv`, count: rows.length, csv };
    },

    /** A seed's server stored a copy of a test message: record how it authenticates (once). */
    async recordCopy(m: MessageRow, recipient: string, source: Buffer): Promise<void> {
      if (m.kind !== 'placement') return;
      const owner = testOfMessage.get(m.id, recipient) as { id: string; workspace_id: string } | undefined;
      if (!owner) return;
      try {
        const auth = await authenticateCopy(source, deps.dns);
        if (setAuth.run(JSON.stringify(auth), m.id, recipient).changes > 0) deps.bus.emit(owner.workspace_id, 'placementTests.updated', { id: owner.id });
        // The copy also tells the domain checks what receivers see: DKIM selectors, the sending IP.
        await deps.authChecks.learnFromSource(owner.workspace_id, m.mailbox_id, source);
      } catch (e) {
        deps.log.warn({ placementTest: owner.id, err: (e as Error).message }, 'could not authenticate a received copy');
      }
    },

    getSchedule(workspaceId: string): PlacementSchedule {
      const parsed = placementSchedule.safeParse(parseJson<unknown>((getSetting.get(workspaceId, SCHEDULE_KEY) as string | undefined) ?? null));
      return parsed.success ? parsed.data : { enabled: false, mailboxId: null, weekday: 1, hour: 9, timeZone: 'UTC', lastRunAt: null };
    },

    async updateSchedule(workspaceId: string, patch: ParsedInput<'placementTests.schedule.update'>): Promise<PlacementSchedule> {
      const next = placementSchedule.parse({ ...service.getSchedule(workspaceId), ...Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) });
      if (next.enabled && !next.mailboxId) throw new KilnError('VALIDATION_FAILED', 'Choose the mailbox the weekly test sends from', { fields: [{ path: 'mailboxId', message: 'required when enabled' }] });
      if (next.mailboxId) await deps.mailboxes.get(workspaceId, next.mailboxId);
      putSetting.run(workspaceId, SCHEDULE_KEY, JSON.stringify(next), deps.clock.now());
      return next;
    },

    /** Start each workspace's weekly test once its hour has come this week (run every few minutes). */
    async tick(): Promise<string[]> {
      const now = deps.clock.now();
      const started: string[] = [];
      const rows = sqlite.prepare('SELECT workspace_id FROM workspace_settings WHERE key = ?').pluck().all(SCHEDULE_KEY) as string[];
      for (const workspaceId of rows) {
        const s = service.getSchedule(workspaceId);
        if (!s.enabled || !s.mailboxId) continue;
        const today = localDate(now, s.timeZone);
        const hour = Number(localTime(now, s.timeZone).slice(0, 2));
        if (isoWeekday(today) % 7 !== s.weekday || hour < s.hour) continue;
        // Once per week: not again within six days of the last run.
        if (s.lastRunAt && now - Date.parse(s.lastRunAt) < 6 * 24 * 3_600_000) continue;
        putSetting.run(workspaceId, SCHEDULE_KEY, JSON.stringify({ ...s, lastRunAt: iso(now) }), now);
        try {
          const t = await service.create(workspaceId, { mailboxId: s.mailboxId, timeLimitMinutes: 60 }, 'schedule');
          started.push(t.id);
        } catch (e) {
          deps.log.warn({ workspaceId, err: (e as Error).message }, 'weekly placement test could not start');
        }
      }
      return started;
    },
  };

  // A placement or a failed send of a test message changes its report: tell the screens.
  deps.bus.subscribe((e) => {
    if (e.name !== 'message.updated') return;
    const d = e.data as { id: string; status: string; event: string };
    if (!d.event.startsWith('placement:') && d.status !== 'failed' && d.status !== 'bounced') return;
    const row = sqlite.prepare('SELECT test_id FROM placement_test_seeds WHERE message_id = ?').pluck().get(d.id) as string | undefined;
    if (row) deps.bus.emit(e.workspaceId, 'placementTests.updated', { id: row });
  });

  return service;
}
export type PlacementTestService = ReturnType<typeof placementTestService>;
