// The import dialog's pure helpers: what is refused before any round trip, and how a report reads.
import { describe, expect, it } from 'vitest';
import { csvProblem, MAX_CSV_CHARS, rejectionCounts, reportHeadline } from '../../renderer/src/features/recipients/csv';
import type { ImportReport } from '../../shared/domain/recipient';

const report = (over: Partial<ImportReport> = {}): ImportReport => ({ dryRun: true, total: 5, imported: 2, rejected: [], columns: { email: 'email', name: [], ignored: [] }, ...over });
const row = (line: number, reason: ImportReport['rejected'][number]['reason']) => ({ line, address: `a${line}@x.test`, reason, message: reason });

describe('import dialog helpers', () => {
  it('refuses empty and oversized text before sending it', () => {
    expect(csvProblem('')).toMatch(/empty/);
    expect(csvProblem(' \n\n')).toMatch(/empty/);
    expect(csvProblem('email\na@b.test\n')).toBeNull();
    expect(csvProblem('x'.repeat(MAX_CSV_CHARS + 1))).toMatch(/too large/);
    expect(csvProblem('x'.repeat(MAX_CSV_CHARS))).toBeNull();
  });

  it('counts skipped rows per reason in the contract order, leaving out reasons with none', () => {
    const r = report({ rejected: [row(3, 'suppressed'), row(4, 'invalid'), row(5, 'duplicate'), row(6, 'invalid')] });
    expect(rejectionCounts(r).map((c) => [c.reason, c.count])).toEqual([
      ['invalid', 2],
      ['duplicate', 1],
      ['suppressed', 1],
    ]);
    expect(rejectionCounts(report())).toEqual([]);
  });

  it('says what a dry run would do and what an import did', () => {
    expect(reportHeadline(report({ total: 1000, imported: 980 }))).toBe('980 of 1000 rows can be imported');
    expect(reportHeadline(report({ dryRun: false, total: 1000, imported: 980 }), (n) => n.toLocaleString('en-US'))).toBe('Imported 980 of 1,000 rows');
    expect(reportHeadline(report({ total: 1, imported: 1 }))).toBe('1 of 1 row can be imported');
    expect(reportHeadline(report({ total: 0, imported: 0 }))).toMatch(/no data rows/);
  });
});
