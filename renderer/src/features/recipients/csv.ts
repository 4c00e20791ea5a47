// Pure helpers of the CSV import dialog (unit-tested in test/unit/ui-recipients-csv.test.ts).
import { importRejections, type ImportReport } from '../../../../shared/domain/recipient';
import { pluralWord } from '../../../../shared/plural';

/** The API's limit on the CSV text of one import (`recipients.import` input `csv`). */
export const MAX_CSV_CHARS = 5_000_000;

type Reason = (typeof importRejections)[number];

const reasonWords: Record<Reason, string> = {
  invalid: 'invalid',
  duplicate: 'repeated in the file',
  suppressed: 'suppressed',
  exists: 'already in the list',
};

/** What stops a text from being sent at all, said before the round trip; null when it can go. */
export function csvProblem(text: string): string | null {
  if (text.trim() === '') return 'The file is empty: it needs a header line with an email column.';
  if (text.length > MAX_CSV_CHARS) return `The file is too large (${text.length.toLocaleString()} characters; at most ${MAX_CSV_CHARS.toLocaleString()}). Split it into smaller files.`;
  return null;
}

/** Skipped rows per reason, in the contract's order, reasons with none left out. */
export function rejectionCounts(report: ImportReport): Array<{ reason: Reason; count: number; label: string }> {
  return importRejections
    .map((reason) => ({ reason, count: report.rejected.filter((r) => r.reason === reason).length, label: reasonWords[reason] }))
    .filter((c) => c.count > 0);
}

/** The report's headline: "980 of 1,000 rows can be imported" before, "Imported 980 of 1,000 rows" after. */
export function reportHeadline(report: ImportReport, format: (n: number) => string = String): string {
  const of = `${format(report.imported)} of ${format(report.total)} ${pluralWord(report.total, 'row', 'rows')}`;
  if (report.total === 0) return 'The file has a header but no data rows.';
  return report.dryRun ? `${of} can be imported` : `Imported ${of}`;
}

