import { parse, type CsvError } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { KilnError } from '../../../shared/errors';

export interface CsvRow {
  /** 1-based line where the record starts, the header being line 1. */
  line: number;
  email: string;
  name: string | null;
}

// Header names compared without case, spaces, dashes or underscores: "First_Name" = "first name".
const headerKey = (h: string): string => h.toLowerCase().replace(/[^a-z0-9]/g, '');
const EMAIL_HEADERS = new Set(['email', 'address', 'emailaddress', 'mail']);
const FULL_NAME_HEADERS = new Set(['name', 'fullname', 'displayname', 'contactname']);
const FIRST_NAME_HEADERS = new Set(['firstname', 'givenname', 'forename', 'first']);
const LAST_NAME_HEADERS = new Set(['lastname', 'familyname', 'surname', 'last']);

/** Which header columns a file's rows were read from, and the ones Kiln does not use. */
export interface CsvColumns {
  email: string;
  /** The name's columns as headed in the file: a full name, or first and last names. */
  name: string[];
  /** Named columns Kiln keeps nothing of (phone, company...): listed in the import report. */
  ignored: string[];
}

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

/** The rows of a recipients CSV (see readRecipientsCsv). */
export function parseRecipientsCsv(text: string): CsvRow[] {
  return readRecipientsCsv(text).rows;
}

/**
 * The rows of a recipients CSV and the columns they came from: a header with an email column is
 * required; the name is read from a full-name column or from first and last names. A file that
 * does not parse, or has no email column, is refused whole (VALIDATION_FAILED).
 */
export function readRecipientsCsv(text: string): { rows: CsvRow[]; columns: CsvColumns } {
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
  const keys = header.record.map(headerKey);
  const column = (set: Set<string>) => keys.findIndex((k) => set.has(k));
  const emailCol = column(EMAIL_HEADERS);
  if (emailCol < 0) {
    throw new KilnError('VALIDATION_FAILED', `Line ${header.info.lines}: the header has no email column (found: ${header.record.join(', ') || 'nothing'})`);
  }
  const fullCol = column(FULL_NAME_HEADERS);
  const partCols = [column(FIRST_NAME_HEADERS), column(LAST_NAME_HEADERS)].filter((c) => c >= 0);
  const used = new Set([emailCol, fullCol, ...partCols]);
  const columns: CsvColumns = {
    email: header.record[emailCol]!,
    name: [fullCol, ...partCols].filter((c) => c >= 0).map((c) => header.record[c]!),
    ignored: header.record.filter((h, i) => h !== '' && !used.has(i)),
  };
  const cell = (record: string[], col: number) => (col >= 0 ? unneutralise(record[col] ?? '') : '');
  const rows = data.map(({ record, info }) => {
    // A full name when the row has one, else its first and last names.
    const name = cell(record, fullCol) || partCols.map((c) => cell(record, c)).filter(Boolean).join(' ');
    return {
      // info.lines is where the record ends; line breaks inside quoted fields move its start up.
      line: info.lines - record.reduce((n, f) => n + lineBreaks(f), 0),
      email: unneutralise(record[emailCol] ?? ''),
      // The same cap as a name typed in the form.
      name: name === '' ? null : name.slice(0, 200),
    };
  });
  return { rows, columns };
}

export const EXPORT_HEADER = ['email', 'name', 'kind', 'provider', 'added'];

/** CSV text for a spreadsheet, every cell neutralised. */
export function toCsv(rows: string[][]): string {
  return stringify([EXPORT_HEADER, ...rows].map((r) => r.map(neutralise)));
}
