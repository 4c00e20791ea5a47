import { parse, type CsvError } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { KilnError } from '../../../shared/errors';

export interface CsvRow {
  /** 1-based line where the record starts, the header being line 1. */
  line: number;
  email: string;
  name: string | null;
}

const EMAIL_HEADERS = new Set(['email', 'e-mail', 'address', 'email address', 'e-mail address']);
const NAME_HEADERS = new Set(['name', 'full name', 'display name']);

// A spreadsheet runs a cell that starts with one of these as a formula (CSV injection).
const FORMULA_START = /^[=+\-@\t\r]/;

/** A cell made safe to open in a spreadsheet: a would-be formula gets a leading apostrophe. */
export function neutralise(cell: string): string {
  return FORMULA_START.test(cell) ? `'${cell}` : cell;
}

/** The inverse of neutralise, so that an exported file imports back unchanged. */
export function unneutralise(cell: string): string {
  return cell.startsWith("'") && FORMULA_START.test(cell.slice(1)) ? cell.slice(1) : cell;
}

/** `;` when the header uses it more than `,` (spreadsheets in comma-decimal locales export that). */
export function delimiterOf(text: string): ',' | ';' {
  const header = text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/, 1)[0] ?? '';
  const count = (c: string) => header.split(c).length - 1;
  return count(';') > count(',') ? ';' : ',';
}

const lineBreaks = (s: string) => s.match(/\r\n|\r|\n/g)?.length ?? 0;

/** The first non-blank line after `after` (1-based): where a record that never ended starts. */
function nextFilledLine(text: string, after: number): number {
  const lines = text.split(/\r\n|\r|\n/);
  let i = after;
  while (i < lines.length - 1 && lines[i]!.trim() === '') i++;
  return i + 1;
}

type Parsed = { record: string[]; info: { lines: number } };

/**
 * The rows of a recipients CSV: a header with an email column (and optionally a name column) is
 * required. A file that does not parse, or has no email column, is refused whole (VALIDATION_FAILED).
 */
export function parseRecipientsCsv(text: string): CsvRow[] {
  let lastLine = 0;
  let records: Parsed[];
  try {
    records = parse(text, {
      bom: true,
      delimiter: delimiterOf(text),
      info: true,
      trim: true,
      relax_column_count: true,
      skip_empty_lines: true,
      on_record: (r, ctx) => {
        lastLine = ctx.lines;
        return r;
      },
    }) as unknown as Parsed[];
  } catch (e) {
    const err = e as CsvError;
    if (err.code === 'CSV_QUOTE_NOT_CLOSED') {
      throw new KilnError('VALIDATION_FAILED', `Line ${nextFilledLine(text, lastLine)}: a quoted field is never closed (a " without its pair)`);
    }
    const line = (err as unknown as { lines?: number }).lines;
    throw new KilnError('VALIDATION_FAILED', `${line ? `Line ${line}: ` : ''}the file is not valid CSV (${err.message})`);
  }
  // Spreadsheets pad files with rows of bare delimiters: not rows at all.
  const [header, ...data] = records.filter((r) => r.record.some((f) => f !== ''));
  if (!header) throw new KilnError('VALIDATION_FAILED', 'The file is empty: it needs a header line with an email column');
  const names = header.record.map((h) => h.trim().toLowerCase());
  const emailCol = names.findIndex((h) => EMAIL_HEADERS.has(h));
  const nameCol = names.findIndex((h) => NAME_HEADERS.has(h));
  if (emailCol < 0) {
    throw new KilnError('VALIDATION_FAILED', `Line ${header.info.lines}: the header has no email column (found: ${header.record.join(', ') || 'nothing'})`);
  }
  return data.map(({ record, info }) => {
    const name = nameCol >= 0 ? unneutralise(record[nameCol] ?? '') : '';
    return {
      // info.lines is where the record ends; line breaks inside quoted fields move its start up.
      line: info.lines - record.reduce((n, f) => n + lineBreaks(f), 0),
      email: unneutralise(record[emailCol] ?? ''),
      // The same cap as a name typed in the form.
      name: name === '' ? null : name.slice(0, 200),
    };
  });
}

export const EXPORT_HEADER = ['email', 'name', 'kind', 'provider', 'added'];

/** CSV text for a spreadsheet, every cell neutralised. */
export function toCsv(rows: string[][]): string {
  return stringify([EXPORT_HEADER, ...rows].map((r) => r.map(neutralise)));
}
