// The report page and CSV from a report's data: the page is self-contained (no script, no remote
// URL, every value escaped), unknown is drawn as unknown, and the CSV carries the numbers.
import { describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import type { Report } from '../../shared/domain/report';
import { report as reportSchema } from '../../shared/domain/report';
import { reportHtml } from '../../electron/core/reports/html';
import { reportCsv } from '../../electron/core/reports/csv';
import { currentSlot } from '../../electron/core/reports/weekly';
import { filledDay } from '../../electron/core/figures';
import { verdictOf } from '../../shared/domain/verdict';
import { createHash } from 'node:crypto';
import { REPORT_CSS, REPORT_CSS_HASH } from '../../shared/report-style';
import { contentSecurityPolicy } from '../../shared/csp';

const counts = { messages: 0, dmarcPass: 0, dkimAligned: 0, spfAligned: 0, passPct: null, dkimAlignedPct: null, spfAlignedPct: null };

function fixture(): Report {
  const day1 = { ...filledDay('2026-11-01', { target: 5, sent: 5, mailSent: 6, delivered: 5, bounced: 1, inbox: 4, spam: 1 }) };
  const day2 = filledDay('2026-11-02', undefined);
  const r: Report = {
    workspace: { id: 'ws_1', name: 'Evil <script>alert(1)</script> Ltd' },
    from: '2026-11-01',
    to: '2026-11-02',
    timeZone: 'UTC',
    generatedAt: '2026-11-03T08:00:00.000Z',
    consultant: { name: '"><img src="https://tracker.example/x.png">', logoDataUrl: 'data:image/png;base64,iVBORw0KGgo=' },
    headline: { mailboxes: 1, outcomes: { sent: 6, delivered: 5, bounced: 1, complained: 0 }, placements: { inbox: 4, spam: 1, other: 0, missing: 0 }, inboxShare: 0.8, warmup: { target: 5, sent: 5 }, alertsRaised: 0, alertsResolved: 0, dmarcPassPct: null },
    mailboxes: [
      {
        id: 'mbx_1',
        email: '=cmd@evil.test',
        provider: 'custom',
        health: { day: '2026-11-01', score: null, components: [] },
        healthHistory: [{ day: '2026-11-01', score: null, components: [{ part: 'bounces', label: 'Bounces', score: 44, weight: 0.2, detail: 'd', verdict: verdictOf('bad', '44', 'd') }] }],
        days: [day1, day2],
        outcomes: { sent: 6, delivered: 5, bounced: 1, complained: 0 },
        placements: { inbox: 4, spam: 1, other: 0, missing: 0 },
        inboxShare: 0.8,
        verdict: verdictOf('unknown', 'Unknown', 'No health score'),
      },
    ],
    placementByProvider: [{ provider: 'gmail', inbox: 0, spam: 0, other: 0, missing: 2, inboxShare: null }],
    placementTests: [],
    authentication: [{ domain: 'evil.test', status: null, checkedAt: null, checks: null, verdicts: null, verdict: null, mailboxes: 1 }],
    blocklists: { current: { targets: 0, zones: 0, listed: 0, clear: 0, error: 0, listedTargets: 0, unknownTargets: 0 }, scans: 0, changes: [] },
    dmarc: { domain: null, days: 2, from: '2026-11-01', to: '2026-11-02', totals: { ...counts, reports: 0, sources: 0 }, domains: [], sources: [], daily: [] },
    alerts: [],
  };
  return reportSchema.parse(r);
}

describe('report page', () => {
  const html = reportHtml(fixture());

  it('has no script, no event handler and no remote URL: the logo is its only image, as a data URL', () => {
    const f = fixture();
    const html = reportHtml({ ...f, workspace: { ...f.workspace, name: 'Acme' }, consultant: { ...f.consultant, name: 'Jane' } });
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/\son[a-z]+\s*=/i);
    expect(html).not.toMatch(/https?:\/\/|url\(|@import|<link|<iframe|<object|<embed/i);
    const refs = [...html.matchAll(/\s(?:src|href)\s*=\s*"([^"]*)"/gi)].map((m) => m[1]);
    expect(refs).toEqual(['data:image/png;base64,iVBORw0KGgo=']);
    expect(html).toContain("default-src 'none'");
  });

  it("previews under the app's CSP: one stylesheet, allowed by its hash; no style attributes", () => {
    expect(REPORT_CSS_HASH).toBe(`'sha256-${createHash('sha256').update(REPORT_CSS).digest('base64')}'`);
    expect(contentSecurityPolicy).toContain(`style-src 'self' ${REPORT_CSS_HASH}`);
    expect([...html.matchAll(/<style>([\s\S]*?)<\/style>/g)].map((m) => m[1])).toEqual([REPORT_CSS]);
    expect(html).not.toMatch(/\sstyle\s*=/i);
  });

  it('takes the health part columns from the first mailbox with a score; a mailbox without one gets unknown cells', () => {
    const f = fixture();
    const scored = { ...f.mailboxes[0]!, id: 'mbx_2', email: 'scored@ok.test', health: { day: '2026-11-02', score: 80, components: f.mailboxes[0]!.healthHistory[0]!.components } };
    const page = reportHtml({ ...f, mailboxes: [f.mailboxes[0]!, scored] });
    const section = page.slice(page.indexOf('<h2>Health score</h2>'), page.indexOf('<h2>Warmup'));
    expect(section).toContain('<th>Bounces</th>');
    expect(section).toMatch(/=cmd@evil\.test<\/td><td><span class="b unknown">unknown<\/span><\/td><td><span class="b unknown">unknown<\/span><\/td><\/tr>/);
    expect(section).toMatch(/scored@ok\.test<\/td><td><span class="b good">80<\/span><\/td><td><span class="b bad">44<\/span><\/td><\/tr>/);
  });

  it('escapes the names it shows', () => {
    expect(html).toContain('Evil &lt;script&gt;alert(1)&lt;/script&gt; Ltd');
    expect(html).toContain('Prepared by &quot;&gt;&lt;img src=&quot;');
  });

  it('draws what was not measured as unknown, never as good', () => {
    expect(html).toContain('<b><span class="unknown">unknown</span></b><span>DMARC pass rate</span>');
    // The never-scored mailbox and the never-checked domain.
    expect(html).toContain('<span class="b unknown">unknown</span>');
    expect(html).toContain('<span class="b unknown">not checked</span>');
    expect(html).not.toContain('class="b good"');
    // A provider with nothing read has an unknown share, not 0 % or 100 %.
    expect(html).toMatch(/gmail<\/td>(<td>[^<]*<\/td>){4}<td><span class="unknown">unknown<\/span>/);
  });
});

describe('report CSV', () => {
  it('one row per mailbox and day with the figures; unknown is empty, not 0; formulas neutralised', () => {
    const c = reportCsv(fixture());
    expect(c.count).toBe(2);
    expect(c.filename).toBe('kiln-report-evil-script-alert-1-script-ltd-2026-11-01-2026-11-02.csv');
    const rows = parse(c.csv, { columns: true }) as Record<string, string>[];
    expect(rows[0]).toMatchObject({ day: '2026-11-01', mailbox: "'=cmd@evil.test", health_score: '', health_bounces: '44', health_placement: '', health_placement_test: '', warmup_target: '5', warmup_sent: '5', mail_sent: '6', bounced: '1', inbox: '4', spam: '1', inbox_share: '0.8000' });
    expect(rows[1]).toMatchObject({ day: '2026-11-02', mail_sent: '0', inbox_share: '' });
  });
});

describe('weekly slot', () => {
  const w = { enabled: true, recipient: 'a@b.test', mailboxId: 'm', weekday: 1, hour: 10 };
  it('is this week\'s once its hour has passed, last week\'s before', () => {
    expect(currentSlot(w, 'UTC', Date.UTC(2026, 10, 23, 9, 59))).toBe('2026-11-16');
    expect(currentSlot(w, 'UTC', Date.UTC(2026, 10, 23, 10, 0))).toBe('2026-11-23');
    expect(currentSlot(w, 'UTC', Date.UTC(2026, 10, 29, 23, 0))).toBe('2026-11-23');
    // In the report time zone: 10:00 in Tokyo is 01:00 UTC.
    expect(currentSlot(w, 'Asia/Tokyo', Date.UTC(2026, 10, 23, 1, 30))).toBe('2026-11-23');
  });
});
