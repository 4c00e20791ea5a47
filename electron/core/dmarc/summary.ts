// Pass rates from the stored records: DMARC pass = aligned DKIM or aligned SPF (the reporter's
// policy_evaluated verdicts), weighted by message count, per From domain, per source IP and per day.
import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema';
import type { DmarcSummary } from '../../../shared/domain/dmarc';
import { iso } from '../util/time';

const DAY = 86_400_000;
const MAX_SOURCES = 500;

const pct = (part: number, whole: number): number | null => (whole > 0 ? Math.round((part / whole) * 1000) / 10 : null);

interface Sums {
  messages: number | null;
  pass: number | null;
  dkim: number | null;
  spf: number | null;
}

function counts(s: Sums) {
  const messages = Number(s.messages ?? 0);
  const dmarcPass = Number(s.pass ?? 0);
  const dkimAligned = Number(s.dkim ?? 0);
  const spfAligned = Number(s.spf ?? 0);
  return { messages, dmarcPass, dkimAligned, spfAligned, passPct: pct(dmarcPass, messages), dkimAlignedPct: pct(dkimAligned, messages), spfAlignedPct: pct(spfAligned, messages) };
}

export async function dmarcSummary(db: Kysely<Database>, workspaceId: string, q: { domain?: string; days: number }, now: number): Promise<DmarcSummary> {
  const today = Math.floor(now / DAY) * DAY;
  const from = today - (q.days - 1) * DAY;
  const to = today + DAY;
  const base = () => {
    let query = db.selectFrom('dmarc_records').where('workspace_id', '=', workspaceId).where('begin_at', '>=', from).where('begin_at', '<', to);
    // The domain and its subdomains (the input is a validated host name: no LIKE wildcards in it).
    if (q.domain) query = query.where((eb) => eb.or([eb('header_from', '=', q.domain!), eb('header_from', 'like', `%.${q.domain}`)]));
    return query;
  };
  const sums = [
    sql<number>`sum(count)`.as('messages'),
    sql<number>`sum(count * dmarc_pass)`.as('pass'),
    sql<number>`sum(count * dkim_aligned)`.as('dkim'),
    sql<number>`sum(count * spf_aligned)`.as('spf'),
  ] as const;

  const [totals, domains, sources, daily] = await Promise.all([
    base()
      .select([...sums, sql<number>`count(DISTINCT report_id)`.as('reports'), sql<number>`count(DISTINCT source_ip)`.as('sources')])
      .executeTakeFirstOrThrow(),
    base()
      .select(['header_from', ...sums, sql<number>`count(DISTINCT source_ip)`.as('sources')])
      .groupBy('header_from')
      .orderBy(sql`sum(count)`, 'desc')
      .orderBy('header_from')
      .execute(),
    base()
      .select(['source_ip', ...sums, sql<string>`group_concat(DISTINCT header_from)`.as('domains')])
      .groupBy('source_ip')
      .orderBy(sql`sum(count)`, 'desc')
      .orderBy('source_ip')
      .limit(MAX_SOURCES)
      .execute(),
    base()
      .select([sql<string>`strftime('%Y-%m-%d', begin_at / 1000, 'unixepoch')`.as('date'), ...sums])
      .groupBy('date')
      .execute(),
  ]);

  const byDate = new Map(daily.map((d) => [d.date, d]));
  const days: DmarcSummary['daily'] = [];
  for (let t = from; t < to; t += DAY) {
    const date = iso(t).slice(0, 10);
    days.push({ date, ...counts(byDate.get(date) ?? { messages: 0, pass: 0, dkim: 0, spf: 0 }) });
  }
  return {
    domain: q.domain ?? null,
    days: q.days,
    from: iso(from),
    to: iso(to),
    totals: { ...counts(totals), reports: Number(totals.reports ?? 0), sources: Number(totals.sources ?? 0) },
    domains: domains.map((d) => ({ domain: d.header_from, ...counts(d), sources: Number(d.sources) })),
    sources: sources.map((s) => ({ sourceIp: s.source_ip, ...counts(s), domains: (s.domains ?? '').split(',').filter(Boolean).sort() })),
    daily: days,
  };
}
