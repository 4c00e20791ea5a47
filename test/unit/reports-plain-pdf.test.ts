// The plain report PDF (no Chromium): a workspace where nothing was measured prints "unknown"
// (or "not checked") in every place, never a good-looking number; the PNG logo is embedded.
// Read back with pdftotext -layout, one table row per line.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { headlessPrinter } from '../../electron/headless/print-pdf';
import type { Report } from '../../shared/domain/report';

const zero = { sent: 0, delivered: 0, bounced: 0, complained: 0 };
const none = { inbox: 0, spam: 0, other: 0, missing: 0 };
const png = fs.readFileSync(path.join(__dirname, '../../resources/icon.png')).toString('base64');

function unmeasured(logoDataUrl: string | null): Report {
  return {
    workspace: { id: 'ws_1', name: 'Nothing Measured Ltd' },
    from: '2026-11-09',
    to: '2026-11-15',
    timeZone: 'Europe/Berlin',
    generatedAt: '2026-11-16T08:00:00.000Z',
    consultant: { name: 'Jane Consultant', logoDataUrl },
    headline: { mailboxes: 1, outcomes: zero, placements: none, inboxShare: null, warmup: { target: 0, sent: 0 }, alertsRaised: 0, alertsResolved: 0, dmarcPassPct: null },
    mailboxes: [{ id: 'mb_1', email: 'new@example.test', provider: 'custom', health: null, healthHistory: [], days: [], outcomes: zero, placements: none, inboxShare: null, verdict: { state: 'unknown', label: 'No data', detail: '', evidence: [] } }],
    placementByProvider: [],
    placementTests: [],
    authentication: [{ domain: 'example.test', status: null, checkedAt: null, checks: null, verdicts: null, verdict: null, mailboxes: 1 }],
    blocklists: { current: { targets: 0, zones: 0, listed: 0, clear: 0, error: 0, listedTargets: 0, unknownTargets: 0 }, scans: 0, changes: [] },
    dmarc: { domain: null, days: 7, from: '2026-11-09', to: '2026-11-15', totals: { messages: 0, dmarcPass: 0, dkimAligned: 0, spfAligned: 0, passPct: null, dkimAlignedPct: null, spfAlignedPct: null, reports: 0, sources: 0 }, domains: [], sources: [], daily: [] },
    alerts: [],
  };
}

// No Chromium: KILN_CHROMIUM names a file that does not exist, so the plain printer is chosen.
const print = headlessPrinter({ KILN_CHROMIUM: '/nonexistent/chromium' });

function save(pdf: Buffer, name: string): string {
  const file = path.join('/tmp', `${name}-${process.pid}.pdf`);
  fs.writeFileSync(file, pdf);
  return file;
}

describe('plain report PDF', () => {
  it('prints unknown, never a good value, where nothing was measured', async () => {
    const r = unmeasured(`data:image/png;base64,${png}`);
    const file = save(await print({ html: '<p>not read</p>', report: r }), 'kiln-plain-unknown');
    expect(fs.readFileSync(file).subarray(0, 5).toString()).toBe('%PDF-');
    const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
    expect(text).not.toContain('not read');
    expect(text).toContain('Deliverability report: Nothing Measured Ltd');
    expect(text).toMatch(/2026-11-09 to 2026-11-15\s+\(Europe\/Berlin\)/);
    expect(text).toContain('Prepared by Jane Consultant');
    expect(text).toContain('Charts need Chromium');
    expect(text).toMatch(/Inbox share of placements read\s+unknown/);
    expect(text).toMatch(/Bounced\s+0 \(unknown\)/);
    expect(text).toMatch(/DMARC pass rate\s+unknown/);
    expect(text).toMatch(/new@example\.test\s+unknown/);
    expect(text).toMatch(/new@example\.test\s+0\s+0\s+0\s+unknown\s+0\s+unknown\s+unknown/);
    expect(text).toMatch(/example\.test\s+1\s+not checked\s+not checked\s+not checked\s+not checked\s+unknown/);
    expect(text).toContain('Never scanned: unknown.');
    expect(text).toContain('pass rate unknown');
    // The PNG logo is in the file.
    expect(execFileSync('pdfimages', ['-list', file], { encoding: 'utf8' }).trim().split('\n').length).toBeGreaterThan(2);
    execFileSync('pdftoppm', ['-png', '-r', '60', file, '/tmp/kiln-plain-unknown']);
  });

  it('leaves out a logo it cannot draw (SVG) and still prints', async () => {
    const r = unmeasured(`data:image/svg+xml;base64,${Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>').toString('base64')}`);
    const file = save(await print({ html: '', report: r }), 'kiln-plain-svg');
    expect(execFileSync('pdfimages', ['-list', file], { encoding: 'utf8' }).trim().split('\n')).toHaveLength(2);
    expect(execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' })).toContain('Nothing Measured Ltd');
  });
});
