import { parse, type CsvError } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { KilnError } from '../../../shared/errors';
import { delimiterOf, neutralise, unneutralise } from '../recipients/csv';

/** One data line of a suppression CSV. */
export interface SuppressionCsvRow {
  /** 1-based line where the record starts, the header being line 1. */
  line: number;
  email: string;
  detail: string | null;
  /** The `reason` cell as written ('' when the column is absent or the cell blank). */
  reason: string;
}

const headerKey = (h: string): string => h.toLowerCase().replace(/[^a-z0-9]/g, '');
const EMAIL_HEADERS = new Set(['email', 'address', 'emailaddress', 'mail']);
const DETAIL_HEADERS = new Set(['detail', 'details', 'note', 'notes']);
const lineBreaks = (s: string) => s.match(/\r\n|\r|\n/g)?.length ?? 0;

type Parsed = { record: string[]; info: { lines: number } };

/**
 * The rows of a suppression CSV: a header with an email column is required, `detail` and
 * `reason` are optional. A file that does not parse, or has no email column, is refused whole
 * (VALIDATION_FAILED) so that nothing is imported from it.
 */
export function readSuppressionsCsv(text: string): SuppressionCsvRow[] {
  let records: Parsed[];
  try {
    records = parse(text, { bom: true, delimiter: delimiterOf(text), info: true, trim: true, relax_column_count: true, skip_empty_lines: true }) as unknown as Parsed[];
  } catch (e) {
    const err = e as CsvError & { lines?: number };
    const what = err.code === 'CSV_QUOTE_NOT_CLOSED' ? 'a quoted field is never closed (a " without its pair)' : `the file is not valid CSV (${err.message})`;
    throw new KilnError('VALIDATION_FAILED', `${err.lines ? `Line ${err.lines}: ` : ''}${what}. Nothing was imported.`);
  }
  const [header, ...data] = records.filter((r) => r.record.some((f) => f !== ''));
  if (!header) throw new KilnError('VALIDATION_FAILED', 'The file is empty: it needs a header line with an email column');
  const keys = header.record.map(headerKey);
  const emailCol = keys.findIndex((k) => EMAIL_HEADERS.has(k));
  if (emailCol < 0) {
    throw new KilnError('VALIDATION_FAILED', `Line ${header.info.lines}: the header has no email column (found: ${header.record.join(', ') || 'nothing'})`);
  }
  const detailCol = keys.findIndex((k) => DETAIL_HEADERS.has(k));
  const reasonCol = keys.indexOf('reason');
  const cell = (record: string[], col: number) => (col >= 0 ? unneutralise(record[col] ?? '') : '');
  return data.map(({ record, info }) => {
    const detail = cell(record, detailCol);
    return {
      line: info.lines - record.reduce((n, f) => n + lineBreaks(f), 0),
      email: cell(record, emailCol),
      // The same cap as a detail typed in the form.
      detail: detail === '' ? null : detail.slice(0, 500),
      reason: cell(record, reasonCol).toLowerCase(),
    };
  });
}

export const SUPPRESSIONS_HEADER = ['email', 'reason', 'detail', 'message', 'added'];

/** CSV text for a spreadsheet, every cell neutralised (no formula runs when it is opened). */
export function suppressionsCsv(rows: string[][]): string {
  return stringify([SUPPRESSIONS_HEADER, ...rows].map((r) => r.map(neutralise)));
}
