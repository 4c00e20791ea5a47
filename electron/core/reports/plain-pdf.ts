// The report as a plain PDF drawn with pdfkit from the typed report (never from its HTML), for a
// process without Chromium: the same figures in tables, warmup as simple bars, no other charts.
// Every value is read from the Report; null stays "unknown".
import PDFDocument from 'pdfkit';
import type { Report } from '../../../shared/domain/report';
import type { VerdictState } from '../../../shared/domain/verdict';
import { scoreState } from '../../../shared/domain/health';
import { addDays } from '../../../shared/warmup/calendar';
import { Layout, plain, type Cell } from './pdf-layout';
import { healthTable } from './health-table';

const num = (n: number) => n.toLocaleString('en-US');
const pct = (share: number | null) => (share === null ? 'unknown' : `${(share * 100).toFixed(1)}%`);
const pctOf = (p: number | null) => (p === null ? 'unknown' : `${p.toFixed(1)}%`);
const rate = (part: number, whole: number) => (whole === 0 ? 'unknown' : `${((part / whole) * 100).toFixed(2)}%`);
const at = (iso: string) => iso.slice(0, 16).replace('T', ' ');
const score = (s: number | null | undefined): Cell => (s == null ? { text: 'unknown', state: 'unknown' } : { text: String(s), state: scoreState(s) });
const verdictCell = (v: { state: VerdictState; label: string } | null | undefined): Cell => (v ? { text: v.label, state: v.state } : { text: 'not checked', state: 'unknown' });

/** A PNG or JPEG data URL as bytes; other formats (and none) are left out. */
function logoBytes(dataUrl: string | null): Buffer | null {
  const m = dataUrl?.match(/^data:image\/(png|jpeg);base64,(.+)$/);
  return m ? Buffer.from(m[2]!, 'base64') : null;
}

function header(l: Layout, r: Report) {
  const { doc } = l;
  const logo = logoBytes(r.consultant.logoDataUrl);
  const textWidth = logo ? l.width - 80 : l.width;
  const top = doc.y;
  doc.font('Helvetica-Bold').fontSize(17).fillColor('#111827').text(plain(`Deliverability report: ${r.workspace.name}`), l.left, top, { width: textWidth });
  doc.font('Helvetica').fontSize(10.5).text(`${r.from} to ${r.to}`, { width: textWidth, continued: true }).fillColor('#6b7280').text(plain(`  (${r.timeZone})`));
  if (r.consultant.name) doc.fillColor('#6b7280').text(plain(`Prepared by ${r.consultant.name}`), { width: textWidth });
  if (logo) {
    try {
      doc.image(logo, l.left + l.width - 64, top, { fit: [64, 64] });
    } catch {
      /* an image pdfkit cannot read: the report goes out without it */
    }
    doc.y = Math.max(doc.y, top + 68);
  }
  doc.moveDown(0.4);
  l.para('Printed without Chromium: a plain layout of the same figures. Charts need Chromium (or open the HTML report); warmup is drawn as simple bars.', { muted: true, size: 8.5 });
}

export function plainPdf(r: Report): Promise<Buffer> {
  const doc = new PDFDocument({ size: 'A4', margin: 40, info: { Title: plain(`${r.workspace.name}: report ${r.from} to ${r.to}`), Producer: 'Kiln', Creator: 'Kiln', CreationDate: new Date(r.generatedAt) } });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const l = new Layout(doc);
  const h = r.headline;
  const days: string[] = [];
  for (let d = r.from; d <= r.to; d = addDays(d, 1)) days.push(d);
  const byDay = (k: 'sent' | 'target') => days.map((d) => r.mailboxes.reduce((a, m) => a + (m.days.find((x) => x.day === d)?.[k] ?? 0), 0));

  header(l, r);

  l.heading('Summary');
  l.table(
    ['Figure', 'Value'],
    [
      ['Mailboxes', num(h.mailboxes)],
      ['Mail sent (accepted)', num(h.outcomes.sent)],
      ['Delivered', num(h.outcomes.delivered)],
      ['Inbox share of placements read', pct(h.inboxShare)],
      ['Bounced', `${num(h.outcomes.bounced)} (${rate(h.outcomes.bounced, h.outcomes.sent)})`],
      ['Complaints', `${num(h.outcomes.complained)} (${rate(h.outcomes.complained, h.outcomes.sent)})`],
      ['Warmup sent / ramp target', `${num(h.warmup.sent)} / ${num(h.warmup.target)}`],
      ['DMARC pass rate', pctOf(h.dmarcPassPct)],
      ['Alerts raised / resolved', `${num(h.alertsRaised)} / ${num(h.alertsResolved)}`],
    ],
    [3, 2],
    '',
  );

  l.heading('Health score');
  const health = healthTable(r);
  l.table(['Mailbox', 'Latest', ...health.parts], health.rows.map((m) => [m.email, score(m.score), ...m.parts.map(score)]), [3.2, 1, ...health.parts.map(() => 1.4)], 'No mailboxes.');
  const shown = r.mailboxes.slice(0, 6);
  if (shown.length) {
    l.para('Daily score by mailbox', { bold: true, size: 9 });
    l.table(['Day', ...shown.map((m) => m.email)], days.map((d) => [d, ...shown.map((m) => score(m.healthHistory.find((x) => x.day === d)?.score))]), [1.4, ...shown.map(() => 2)], '');
  }

  l.heading('Warmup volume against the ramp', 150);
  const sent = byDay('sent');
  const target = byDay('target');
  l.bars(days.map((d) => d.slice(5)), sent, target, { value: 'warmup mail sent', target: 'ramp target' });
  l.table(['Day', 'Warmup sent', 'Ramp target'], days.map((d, i) => [d, num(sent[i]!), num(target[i]!)]), [2, 1, 1], '');

  l.heading('Placement by provider');
  l.table(['Receiving provider', 'Inbox', 'Spam', 'Other', 'Not seen', 'Inbox share'], r.placementByProvider.map((p) => [p.provider, num(p.inbox), num(p.spam), num(p.other), num(p.missing), pct(p.inboxShare)]), [3, 1, 1, 1, 1, 1.3], 'No placement was read in this range.');
  if (r.placementTests.length) {
    l.para('Placement tests', { bold: true, size: 9 });
    l.table(['Started', 'From', 'Seeds', 'Inbox', 'Spam', 'Missing', 'Inbox rate'], r.placementTests.map((t) => [at(t.createdAt), t.from, num(t.total), num(t.inbox), num(t.spam), num(t.missing), pct(t.inboxRate)]), [2, 3, 1, 1, 1, 1, 1.2], '');
  }

  l.heading('Bounces and complaints');
  l.table(
    ['Mailbox', 'Sent', 'Delivered', 'Bounced', 'Bounce rate', 'Complaints', 'Complaint rate', 'Inbox share'],
    r.mailboxes.map((m) => [m.email, num(m.outcomes.sent), num(m.outcomes.delivered), num(m.outcomes.bounced), rate(m.outcomes.bounced, m.outcomes.sent), num(m.outcomes.complained), rate(m.outcomes.complained, m.outcomes.sent), pct(m.inboxShare)]),
    [3.4, 1, 1.2, 1.1, 1.2, 1.3, 1.3, 1.2],
    'No mailboxes.',
  );

  l.heading('Authentication per domain');
  l.table(
    ['Domain', 'Mailboxes', 'Overall', 'SPF', 'DKIM', 'DMARC', 'Checked'],
    r.authentication.map((d) => {
      const v = (k: string) => verdictCell((d.verdicts as Record<string, { state: VerdictState; label: string } | undefined> | null)?.[k]);
      return [d.domain, num(d.mailboxes), verdictCell(d.verdict), v('spf'), v('dkim'), v('dmarc'), d.checkedAt ? at(d.checkedAt) : 'unknown'];
    }),
    [2.4, 1.1, 1.4, 1.4, 1.4, 1.4, 1.6],
    'No domains.',
  );

  l.heading('Blocklists');
  const b = r.blocklists;
  l.para(b.current.targets === 0 ? `Never scanned: unknown. Scans in this range: ${num(b.scans)}.` : `Now: ${num(b.current.listedTargets)} of ${num(b.current.targets)} targets listed, ${num(b.current.unknownTargets)} without a verdict. Scans in this range: ${num(b.scans)}.`);
  l.table(
    ['When', 'Target', 'List', 'Change'],
    b.changes.map((c) => [at(c.at), c.target, c.zone, { text: `${c.from ?? 'first look'} -> ${c.to}`, state: c.to === 'listed' ? 'bad' : c.to === 'clear' ? 'good' : 'unknown' }]),
    [1.6, 2, 2, 1.6],
    'No blocklist changes in this range.',
  );

  l.heading('DMARC');
  const t = r.dmarc.totals;
  l.para(t.reports === 0 ? 'No DMARC aggregate reports in this range: pass rate unknown.' : `${num(t.reports)} reports, ${num(t.messages)} messages, pass rate ${pctOf(t.passPct)}.`);
  l.table(['From domain', 'Messages', 'DMARC pass', 'DKIM aligned', 'SPF aligned'], r.dmarc.domains.map((d) => [d.domain, num(d.messages), pctOf(d.passPct), pctOf(d.dkimAlignedPct), pctOf(d.spfAlignedPct)]), [3, 1, 1, 1, 1], '');

  l.heading('Alerts');
  l.table(
    ['Raised', 'Severity', 'Alert', 'Resolved'],
    r.alerts.map((a) => [at(a.raisedAt), { text: a.severity, state: a.severity === 'critical' ? 'bad' : a.severity === 'warning' ? 'warning' : 'na' }, a.title, a.resolvedAt ? at(a.resolvedAt) : 'open']),
    [1.5, 1, 4, 1.5],
    'No alerts were raised or resolved in this range.',
  );

  doc.moveDown(0.6);
  l.para(`Generated ${at(r.generatedAt)} UTC by Kiln. Unknown means nothing was measured, not that all is well.`, { muted: true, size: 8 });
  doc.end();
  return done;
}
