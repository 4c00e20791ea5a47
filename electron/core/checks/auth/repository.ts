// Kysely queries of the auth checks: latest report per (workspace, domain), history, learned facts.
import type { Kysely } from 'kysely';
import type { AuthReport, CheckStatusMap } from '../../../../shared/domain/auth-check';
import type { Database } from '../../db/schema';
import { domainOf } from '../../mail/address';
import { providerOf } from '../../providers';

/** Consumer mailbox domains (gmail.com, outlook.com...): their DNS is the provider's, not the user's to fix. */
const isOwnDomain = (domain: string): boolean => providerOf(`x@${domain}`) === 'custom';

/** `transport`: the protocol a received copy entered the recipient's server with (compliance's TLS rule). */
export type FactKind = 'selector' | 'dkim_domain' | 'envelope_domain' | 'ip' | 'transport';

export interface Fact {
  kind: FactKind;
  value: string;
  mailboxId: string;
  source: 'given' | 'headers';
  lastSeenAt: number;
}

/** History older than this is dropped when a new run is stored (daily checks: ~400 rows a domain). */
const HISTORY_KEEP_MS = 400 * 86_400_000;

export function authCheckRepository(db: Kysely<Database>) {
  return {
    async latest(workspaceId: string, domain: string): Promise<{ report: string; checkedAt: number } | undefined> {
      const r = await db.selectFrom('auth_checks').select(['report', 'checked_at']).where('workspace_id', '=', workspaceId).where('domain', '=', domain).executeTakeFirst();
      return r ? { report: r.report, checkedAt: r.checked_at } : undefined;
    },

    latestAll: (workspaceId: string) =>
      db.selectFrom('auth_checks').select(['domain', 'status', 'checked_at', 'report']).where('workspace_id', '=', workspaceId).orderBy('domain').execute(),

    /** Store a run: the new latest report and a history row, in one transaction. */
    async store(workspaceId: string, report: AuthReport, statuses: CheckStatusMap, at: number): Promise<void> {
      await db.transaction().execute(async (tx) => {
        const row = { workspace_id: workspaceId, domain: report.domain, status: report.status, ip: report.ip, checked_at: at, report: JSON.stringify(report) };
        await tx
          .insertInto('auth_checks')
          .values(row)
          .onConflict((oc) => oc.columns(['workspace_id', 'domain']).doUpdateSet({ status: row.status, ip: row.ip, checked_at: row.checked_at, report: row.report }))
          .execute();
        await tx.insertInto('auth_check_history').values({ workspace_id: workspaceId, domain: report.domain, checked_at: at, status: report.status, checks: JSON.stringify(statuses) }).execute();
        await tx.deleteFrom('auth_check_history').where('workspace_id', '=', workspaceId).where('domain', '=', report.domain).where('checked_at', '<', at - HISTORY_KEEP_MS).execute();
      });
    },

    history: (workspaceId: string, domain: string, since: number) =>
      db
        .selectFrom('auth_check_history')
        .select(['checked_at', 'status', 'checks'])
        .where('workspace_id', '=', workspaceId)
        .where('domain', '=', domain)
        .where('checked_at', '>=', since)
        .orderBy('checked_at')
        .orderBy('id')
        .execute(),

    async remember(workspaceId: string, domain: string, facts: { kind: FactKind; value: string; mailboxId?: string; source: 'given' | 'headers' }[], at: number): Promise<void> {
      if (facts.length === 0) return;
      await db
        .insertInto('auth_facts')
        .values(facts.map((f) => ({ workspace_id: workspaceId, domain, kind: f.kind, value: f.value, mailbox_id: f.mailboxId ?? '', source: f.source, first_seen_at: at, last_seen_at: at })))
        .onConflict((oc) => oc.columns(['workspace_id', 'domain', 'kind', 'value', 'mailbox_id']).doUpdateSet({ last_seen_at: at }))
        .execute();
    },

    async facts(workspaceId: string, domain: string): Promise<Fact[]> {
      const rows = await db
        .selectFrom('auth_facts')
        .select(['kind', 'value', 'mailbox_id', 'source', 'last_seen_at'])
        .where('workspace_id', '=', workspaceId)
        .where('domain', '=', domain)
        .orderBy('last_seen_at', 'desc')
        .execute();
      return rows.map((r) => ({ kind: r.kind as FactKind, value: r.value, mailboxId: r.mailbox_id, source: r.source as Fact['source'], lastSeenAt: r.last_seen_at }));
    },

    /** The IP a mailbox's mail was last seen coming from. */
    mailboxIp: (workspaceId: string, mailboxId: string) =>
      db
        .selectFrom('auth_facts')
        .select(['value', 'last_seen_at'])
        .where('workspace_id', '=', workspaceId)
        .where('mailbox_id', '=', mailboxId)
        .where('kind', '=', 'ip')
        .orderBy('last_seen_at', 'desc')
        .limit(1)
        .executeTakeFirst(),

    /** The workspace's mailboxes sending from the domain. */
    async domainMailboxes(workspaceId: string, domain: string) {
      const rows = await db.selectFrom('mailboxes').select(['id', 'email', 'provider']).where('workspace_id', '=', workspaceId).where('deleted_at', 'is', null).execute();
      return rows.filter((r) => domainOf(r.email) === domain);
    },

    mailbox: (workspaceId: string, id: string) =>
      db.selectFrom('mailboxes').select(['id', 'email']).where('workspace_id', '=', workspaceId).where('id', '=', id).where('deleted_at', 'is', null).executeTakeFirst(),

    /** Sending domains of the workspace's mailboxes (consumer ones left out), with how many mailboxes use each. */
    async mailboxDomains(workspaceId: string): Promise<Map<string, number>> {
      const rows = await db.selectFrom('mailboxes').select('email').where('workspace_id', '=', workspaceId).where('deleted_at', 'is', null).execute();
      const out = new Map<string, number>();
      for (const r of rows) {
        const d = domainOf(r.email);
        if (isOwnDomain(d)) out.set(d, (out.get(d) ?? 0) + 1);
      }
      return out;
    },

    /** Mailbox domains of every workspace (consumer ones left out), for the daily schedule. */
    async allMailboxDomains(): Promise<{ workspaceId: string; domain: string }[]> {
      const rows = await db.selectFrom('mailboxes').select(['workspace_id', 'email']).where('deleted_at', 'is', null).execute();
      const seen = new Set<string>();
      const out: { workspaceId: string; domain: string }[] = [];
      for (const r of rows) {
        const domain = domainOf(r.email);
        const key = `${r.workspace_id} ${domain}`;
        if (seen.has(key) || !isOwnDomain(domain)) continue;
        seen.add(key);
        out.push({ workspaceId: r.workspace_id, domain });
      }
      return out;
    },

    async checkedAt(workspaceId: string, domain: string): Promise<number | null> {
      const r = await db.selectFrom('auth_checks').select('checked_at').where('workspace_id', '=', workspaceId).where('domain', '=', domain).executeTakeFirst();
      return r?.checked_at ?? null;
    },
  };
}
export type AuthCheckRepository = ReturnType<typeof authCheckRepository>;
