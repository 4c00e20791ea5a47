// The report as one self-contained HTML document: inline CSS and SVG, no scripts, no remote
// resources (the logo is a data URL). The same page is previewed, printed to PDF and mailed.
import type { Report } from '../../../shared/domain/report';
import type { VerdictState } from '../../../shared/domain/verdict';
import { scoreState } from '../../../shared/domain/health';
import { addDays } from '../../../shared/warmup/calendar';
import { REPORT_CSS as CSS } from '../../../shared/report-style';
import { barsWithLine, esc, lineChart, shareBar } from './charts';
import { healthTable } from './health-table';

const COLORS = ['#2563eb', '#16a34a', '#9333ea', '#ea580c', '#0891b2', '#be123c'];
const UNKNOWN = '<span class="unknown">unknown</span>';

const num = (n: number) => n.toLocaleString('en-US');
const pct = (share: number | null) => (share === null ? UNKNOWN : `${(share * 100).toFixed(1)}%`);
const pctOf = (p: number | null) => (p === null ? UNKNOWN : `${p.toFixed(1)}%`);
const badge = (state: VerdictState, text: string) => `<span class="b ${state}">${esc(text)}</span>`;
const score = (s: number | null | undefined) => (s == null ? badge('unknown', 'unknown') : badge(scoreState(s), String(s)));
const table = (head: string[], rows: string[][], empty: string) =>
  rows.length === 0 ? `<p class="muted">${esc(empty)}</p>` : `<table><thead><tr>${head.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>${rows.map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join('')}</tr>`).join('')}</tbody></table>`;

function daysOf(r: Report): string[] {
  const out: string[] = [];
  for (let d = r.from; d <= r.to; d = addDays(d, 1)) out.push(d);
  return out;
}


export function reportHtml(r: Report): string {
  const h = r.headline;
  const days = daysOf(r);
  const health = healthTable(r);
  const card = (value: string, label: string) => `<div class="card"><b>${value}</b><span>${esc(label)}</span></div>`;
  const rate = (part: number, whole: number) => (whole === 0 ? UNKNOWN : `${((part / whole) * 100).toFixed(2)}%`);
  const warmupByDay = (k: 'sent' | 'target') => days.map((d) => r.mailboxes.reduce((a, m) => a + (m.days.find((x) => x.day === d)?.[k] ?? 0), 0));
  const consultant = r.consultant.name ? `<div class="muted">Prepared by ${esc(r.consultant.name)}</div>` : '';
  const logo = r.consultant.logoDataUrl ? `<img alt="" src="${esc(r.consultant.logoDataUrl)}">` : '';

  const sections = [
    `<section><h2>Summary</h2><div class="cards">${[
      card(num(h.mailboxes), 'mailboxes'),
      card(num(h.outcomes.sent), 'mail sent (accepted)'),
      card(num(h.outcomes.delivered), 'delivered'),
      card(pct(h.inboxShare), 'inbox share of placements read'),
      card(`${num(h.outcomes.bounced)} · ${rate(h.outcomes.bounced, h.outcomes.sent)}`, 'bounced'),
      card(`${num(h.outcomes.complained)} · ${rate(h.outcomes.complained, h.outcomes.sent)}`, 'complaints'),
      card(`${num(h.warmup.sent)} / ${num(h.warmup.target)}`, 'warmup sent / ramp target'),
      card(pctOf(h.dmarcPassPct), 'DMARC pass rate'),
      card(`${num(h.alertsRaised)} / ${num(h.alertsResolved)}`, 'alerts raised / resolved'),
    ].join('')}</div></section>`,
    `<section><h2>Health score</h2>${table(
      ['Mailbox', 'Latest', ...health.parts],
      health.rows.map((m) => [esc(m.email), score(m.score), ...m.parts.map(score)]),
      'No mailboxes.',
    )}${lineChart(
      days,
      r.mailboxes.slice(0, COLORS.length).map((m, i) => ({ label: m.email, color: COLORS[i]!, values: days.map((d) => m.healthHistory.find((x) => x.day === d)?.score ?? null) })),
    )}</section>`,
    `<section><h2>Warmup volume against the ramp</h2>${barsWithLine(days, { label: 'warmup mail sent', color: '#2563eb', values: warmupByDay('sent') }, { label: 'ramp target', color: '#ea580c', values: warmupByDay('target') })}</section>`,
    `<section><h2>Placement by provider</h2>${table(
      ['Receiving provider', 'Inbox', 'Spam', 'Other', 'Not seen', 'Inbox share', ''],
      r.placementByProvider.map((p) => [esc(p.provider), num(p.inbox), num(p.spam), num(p.other), num(p.missing), pct(p.inboxShare), shareBar([{ label: 'inbox', value: p.inbox, color: '#16a34a' }, { label: 'spam', value: p.spam, color: '#dc2626' }, { label: 'other', value: p.other, color: '#a3a3a3' }])]),
      'No placement was read in this range.',
    )}${r.placementTests.length ? `<h2>Placement tests</h2>${table(['Started', 'From', 'Seeds', 'Inbox', 'Spam', 'Missing', 'Inbox rate'], r.placementTests.map((t) => [esc(t.createdAt.slice(0, 16).replace('T', ' ')), esc(t.from), num(t.total), num(t.inbox), num(t.spam), num(t.missing), pct(t.inboxRate)]), '')}` : ''}</section>`,
    `<section><h2>Bounces and complaints</h2>${table(
      ['Mailbox', 'Sent', 'Delivered', 'Bounced', 'Bounce rate', 'Complaints', 'Complaint rate', 'Inbox share'],
      r.mailboxes.map((m) => [esc(m.email), num(m.outcomes.sent), num(m.outcomes.delivered), num(m.outcomes.bounced), rate(m.outcomes.bounced, m.outcomes.sent), num(m.outcomes.complained), rate(m.outcomes.complained, m.outcomes.sent), pct(m.inboxShare)]),
      'No mailboxes.',
    )}</section>`,
    `<section><h2>Authentication per domain</h2>${table(
      ['Domain', 'Mailboxes', 'Overall', 'SPF', 'DKIM', 'DMARC', 'Checked'],
      r.authentication.map((d) => {
        const v = (k: string) => {
          const x = (d.verdicts as Record<string, { state: VerdictState; label: string } | undefined> | null)?.[k];
          return x ? badge(x.state, x.label) : badge('unknown', 'not checked');
        };
        return [esc(d.domain), num(d.mailboxes), d.verdict ? badge(d.verdict.state, d.verdict.label) : badge('unknown', 'not checked'), v('spf'), v('dkim'), v('dmarc'), d.checkedAt ? esc(d.checkedAt.slice(0, 16).replace('T', ' ')) : UNKNOWN];
      }),
      'No domains.',
    )}</section>`,
    `<section><h2>Blocklists</h2><p>${r.blocklists.current.targets === 0 ? '<span class="unknown">Never scanned: unknown.</span>' : `Now: ${num(r.blocklists.current.listedTargets)} of ${num(r.blocklists.current.targets)} targets listed, ${num(r.blocklists.current.unknownTargets)} without a verdict.`} Scans in this range: ${num(r.blocklists.scans)}.</p>${table(
      ['When', 'Target', 'List', 'Change'],
      r.blocklists.changes.map((c) => [esc(c.at.slice(0, 16).replace('T', ' ')), esc(c.target), esc(c.zone), `${esc(c.from ?? 'first look')} → ${badge(c.to === 'listed' ? 'bad' : c.to === 'clear' ? 'good' : 'unknown', c.to)}`]),
      'No blocklist changes in this range.',
    )}</section>`,
    `<section><h2>DMARC</h2><p>${r.dmarc.totals.reports === 0 ? '<span class="unknown">No DMARC aggregate reports in this range: pass rate unknown.</span>' : `${num(r.dmarc.totals.reports)} reports, ${num(r.dmarc.totals.messages)} messages, pass rate ${pctOf(r.dmarc.totals.passPct)}.`}</p>${table(
      ['From domain', 'Messages', 'DMARC pass', 'DKIM aligned', 'SPF aligned'],
      r.dmarc.domains.map((d) => [esc(d.domain), num(d.messages), pctOf(d.passPct), pctOf(d.dkimAlignedPct), pctOf(d.spfAlignedPct)]),
      '',
    )}</section>`,
    `<section><h2>Alerts</h2>${table(
      ['Raised', 'Severity', 'Alert', 'Resolved'],
      r.alerts.map((a) => [esc(a.raisedAt.slice(0, 16).replace('T', ' ')), badge(a.severity === 'critical' ? 'bad' : a.severity === 'warning' ? 'warning' : 'na', a.severity), esc(a.title), a.resolvedAt ? esc(a.resolvedAt.slice(0, 16).replace('T', ' ')) : 'open']),
      'No alerts were raised or resolved in this range.',
    )}</section>`,
  ];

  return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:; style-src 'unsafe-inline'"><title>${esc(`${r.workspace.name}: report ${r.from} to ${r.to}`)}</title><style>${CSS}</style></head><body>
<header><div><h1>Deliverability report: ${esc(r.workspace.name)}</h1><div>${esc(r.from)} to ${esc(r.to)} <span class="muted">(${esc(r.timeZone)})</span></div>${consultant}</div>${logo}</header>
${sections.join('\n')}
<p class="muted">Generated ${esc(r.generatedAt.slice(0, 16).replace('T', ' '))} UTC by Kiln. Unknown means nothing was measured, not that all is well.</p>
</body></html>`;
}
