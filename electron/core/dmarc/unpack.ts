// Turns a report file as it arrives (zip, gzip or plain XML) into XML bytes, bounded: decompression
// stops as soon as the output passes the size limit or outgrows its input by more than the ratio
// limit, so a bomb costs at most a few MiB of memory before it is refused.
import { crc32 } from 'node:zlib';
import { Gunzip, Inflate } from 'fflate';
import { KilnError } from '../../../shared/errors';
import { readZipDirectory, zipEntryData, type ZipEntry } from './zip';

export interface UnpackLimits {
  /** Largest file accepted as it arrives (compressed or not). */
  maxInputBytes: number;
  /** Largest XML accepted, after unpacking. */
  maxXmlBytes: number;
  /** Output/input ratio beyond which unpacking stops as a bomb... */
  maxRatio: number;
  /** ...once the output is past this floor (small files may compress well without harm). */
  ratioFloorBytes: number;
  maxZipEntries: number;
}

const MiB = 1024 * 1024;
export const defaultUnpackLimits: UnpackLimits = { maxInputBytes: 20 * MiB, maxXmlBytes: 20 * MiB, maxRatio: 100, ratioFloorBytes: 1 * MiB, maxZipEntries: 64 };

/** Input pushed to the inflater per step: deflate expands at most ~1032:1, so one step adds at most ~4 MiB. */
const STEP = 4096;

export type ReportFormat = 'zip' | 'gzip' | 'xml';

export interface FileHint {
  filename?: string | null;
  contentType?: string | null;
}

export interface Unpacked {
  xml: Uint8Array;
  format: ReportFormat;
  /** The archive entry the XML came from (zip only). */
  entry: string | null;
}

const ZIP_TYPES = new Set(['application/zip', 'application/x-zip-compressed', 'application/x-zip']);
const GZIP_TYPES = new Set(['application/gzip', 'application/x-gzip', 'application/gzip-compressed', 'application/x-gunzip']);
const XML_TYPES = new Set(['text/xml', 'application/xml']);

/** What the name or media type claims (null: says nothing). */
export function claimedFormat(hint: FileHint): ReportFormat | null {
  const name = (hint.filename ?? '').toLowerCase().trim();
  const type = (hint.contentType ?? '').toLowerCase().split(';')[0]!.trim();
  if (name.endsWith('.zip') || ZIP_TYPES.has(type)) return 'zip';
  if (name.endsWith('.gz') || name.endsWith('.gzip') || GZIP_TYPES.has(type)) return 'gzip';
  if (name.endsWith('.xml') || XML_TYPES.has(type)) return 'xml';
  return null;
}

/** The format by magic bytes; the name and media type only explain a mismatch. */
export function detectFormat(data: Uint8Array, hint: FileHint = {}): ReportFormat {
  if (data.length >= 2 && data[0] === 0x1f && data[1] === 0x8b) return 'gzip';
  if (data.length >= 4 && data[0] === 0x50 && data[1] === 0x4b && (data[2] === 0x03 || data[2] === 0x05)) return 'zip';
  if (looksLikeXml(data)) return 'xml';
  const claimed = claimedFormat(hint);
  if (claimed === 'zip' || claimed === 'gzip') throw new KilnError('DMARC_REPORT_CORRUPT', `The file is named or typed as ${claimed} but does not start like ${claimed} data`);
  throw new KilnError('DMARC_REPORT_FORMAT', 'Not a DMARC report file: expected zip, gzip or XML data');
}

/** `<` after an optional byte-order mark and white space (UTF-8, or UTF-16 either way round). */
export function looksLikeXml(data: Uint8Array): boolean {
  let i = 0;
  if (data[0] === 0xef && data[1] === 0xbb && data[2] === 0xbf) i = 3;
  else if ((data[0] === 0xff && data[1] === 0xfe) || (data[0] === 0xfe && data[1] === 0xff)) return true;
  else if ((data[0] === 0x3c && data[1] === 0x00) || (data[0] === 0x00 && data[1] === 0x3c)) return true;
  while (i < data.length && i < 4096 && (data[i] === 0x20 || data[i] === 0x09 || data[i] === 0x0a || data[i] === 0x0d)) i++;
  return data[i] === 0x3c;
}

export function unpackReport(data: Uint8Array, hint: FileHint = {}, limits: UnpackLimits = defaultUnpackLimits): Unpacked {
  if (data.length === 0) throw new KilnError('DMARC_REPORT_FORMAT', 'The report file is empty');
  if (data.length > limits.maxInputBytes) {
    throw new KilnError('DMARC_REPORT_TOO_LARGE', `The report file is ${mib(data.length)} MiB; the limit is ${mib(limits.maxInputBytes)} MiB`, { bytes: data.length, limit: limits.maxInputBytes });
  }
  const format = detectFormat(data, hint);
  if (format === 'xml') {
    if (data.length > limits.maxXmlBytes) throw tooLarge(data.length, limits);
    return { xml: data, format, entry: null };
  }
  if (format === 'gzip') return { xml: gunzipBounded(data, limits), format, entry: null };
  return unzipReport(data, limits);
}

function gunzipBounded(data: Uint8Array, limits: UnpackLimits): Uint8Array {
  if (data.length < 18) throw new KilnError('DMARC_REPORT_CORRUPT', 'The gzip data is truncated');
  let members = 1;
  const out = inflateBounded(data, () => {
    const g = new Gunzip();
    g.onmember = () => members++;
    return g;
  }, limits, 'gzip');
  // fflate does not check the trailer: a lost tail would pass unnoticed without this.
  if (members === 1) {
    const tail = Buffer.from(data.buffer, data.byteOffset + data.length - 8, 8);
    if (tail.readUInt32LE(0) !== crc32(out) || tail.readUInt32LE(4) !== out.length % 2 ** 32) {
      throw new KilnError('DMARC_REPORT_CORRUPT', 'The gzip data is truncated or damaged (checksum mismatch)');
    }
  }
  return out;
}

function unzipReport(data: Uint8Array, limits: UnpackLimits): Unpacked {
  const entries = readZipDirectory(data, limits.maxZipEntries);
  const entry = pickEntry(entries);
  const raw = zipEntryData(data, entry);
  let xml: Uint8Array;
  if (entry.method === 0) {
    if (raw.length > limits.maxXmlBytes) throw tooLarge(raw.length, limits);
    xml = raw;
  } else if (entry.method === 8) {
    xml = inflateBounded(raw, () => new Inflate(), limits, `zip entry ${entry.name}`);
  } else {
    throw new KilnError('DMARC_REPORT_FORMAT', `The zip entry ${entry.name} uses compression method ${entry.method}; only stored and deflate are supported`);
  }
  if (xml.length !== entry.size || crc32(xml) !== entry.crc) {
    throw new KilnError('DMARC_REPORT_CORRUPT', `The zip entry ${entry.name} is damaged (size or checksum mismatch)`);
  }
  return { xml, format: 'zip', entry: entry.name };
}

/** The one XML file in the archive (macOS resource forks and folders aside). */
function pickEntry(entries: ZipEntry[]): ZipEntry {
  const files = entries.filter((e) => !e.name.endsWith('/') && !e.name.startsWith('__MACOSX/') && !/(^|\/)\.DS_Store$/.test(e.name));
  const xml = files.filter((e) => e.name.toLowerCase().endsWith('.xml'));
  if (xml.length > 1) throw new KilnError('DMARC_REPORT_FORMAT', `The zip holds ${xml.length} XML files; a report archive holds one`, { entries: xml.slice(0, 10).map((e) => e.name) });
  // Some reporters name the entry without .xml: a lone file is taken (its content must still be XML).
  const chosen = xml[0] ?? (files.length === 1 ? files[0] : undefined);
  if (!chosen) {
    throw new KilnError('DMARC_REPORT_FORMAT', files.length === 0 ? 'The zip archive is empty' : `The zip holds ${files.length} files and none is an XML report`, {
      entries: files.slice(0, 10).map((e) => e.name),
      notAReport: files.length > 0,
    });
  }
  if (chosen.flags & 1) throw new KilnError('DMARC_REPORT_FORMAT', `The zip entry ${chosen.name} is encrypted`);
  return chosen;
}

/**
 * Inflate in small steps and stop once the output passes its cap: the XML limit, or the ratio limit
 * (output over maxRatio × input, beyond the floor), whichever is lower.
 */
function inflateBounded(input: Uint8Array, make: () => Inflate | Gunzip, limits: UnpackLimits, what: string): Uint8Array {
  const byRatio = Math.max(limits.ratioFloorBytes, input.length * limits.maxRatio);
  const cap = Math.min(limits.maxXmlBytes, byRatio);
  const chunks: Uint8Array[] = [];
  let total = 0;
  const stream = make();
  stream.ondata = (chunk) => {
    total += chunk.length;
    if (total <= cap) chunks.push(chunk);
  };
  try {
    for (let i = 0; i < input.length && total <= cap; i += STEP) stream.push(input.subarray(i, i + STEP), i + STEP >= input.length);
  } catch (e) {
    throw new KilnError('DMARC_REPORT_CORRUPT', `The ${what} data is truncated or damaged (${(e as Error).message})`);
  }
  if (total > cap) {
    if (cap === limits.maxXmlBytes && byRatio >= limits.maxXmlBytes) throw tooLarge(total, limits, true);
    throw new KilnError('DMARC_REPORT_BOMB', `The ${what} data unpacks to more than ${limits.maxRatio} times its size (${input.length} bytes → over ${cap} bytes): refused as a decompression bomb`, {
      compressedBytes: input.length,
      stoppedAt: total,
      maxRatio: limits.maxRatio,
    });
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

const mib = (n: number) => (n / MiB).toFixed(1);

function tooLarge(bytes: number, limits: UnpackLimits, stopped = false): KilnError {
  const size = stopped ? `more than ${mib(limits.maxXmlBytes)} MiB` : `${mib(bytes)} MiB`;
  return new KilnError('DMARC_REPORT_TOO_LARGE', `The report XML is ${size}; the limit is ${mib(limits.maxXmlBytes)} MiB`, { limit: limits.maxXmlBytes });
}
