// A zip's central directory, read by hand: fflate's unzip would inflate every entry up to the sizes the
// archive claims, and those sizes are exactly what a bomb lies about. Here we only list the entries;
// unpack.ts inflates the chosen one with its own limits and then checks its size and CRC.
import { KilnError } from '../../../shared/errors';

export interface ZipEntry {
  name: string;
  flags: number;
  /** 0 stored, 8 deflate. */
  method: number;
  crc: number;
  compressedSize: number;
  size: number;
  localOffset: number;
}

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
const corrupt = (what: string) => new KilnError('DMARC_REPORT_CORRUPT', `The zip archive is damaged: ${what}`);

export function readZipDirectory(data: Uint8Array, maxEntries: number): ZipEntry[] {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  // The end record sits in the last 22 bytes plus at most a 64 KiB comment.
  let eocd = -1;
  for (let i = data.length - 22; i >= 0 && i >= data.length - 22 - 0xffff; i--) {
    if (view.getUint32(i, true) === EOCD) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw corrupt('no end of central directory (truncated?)');
  const count = view.getUint16(eocd + 10, true);
  const dirOffset = view.getUint32(eocd + 16, true);
  if (count === 0xffff || dirOffset === 0xffffffff) throw new KilnError('DMARC_REPORT_FORMAT', 'ZIP64 archives are not supported for DMARC reports');
  if (count > maxEntries) throw new KilnError('DMARC_REPORT_FORMAT', `The zip holds ${count} entries; a report archive holds one`);
  const entries: ZipEntry[] = [];
  let at = dirOffset;
  for (let n = 0; n < count; n++) {
    if (at + 46 > data.length || view.getUint32(at, true) !== CENTRAL) throw corrupt('bad central directory');
    const flags = view.getUint16(at + 8, true);
    const nameLen = view.getUint16(at + 28, true);
    const extraLen = view.getUint16(at + 30, true);
    const commentLen = view.getUint16(at + 32, true);
    if (at + 46 + nameLen > data.length) throw corrupt('bad central directory');
    const nameBytes = data.subarray(at + 46, at + 46 + nameLen);
    // Bit 11: UTF-8 names; otherwise CP437, close enough to latin1 for matching ".xml".
    const name = Buffer.from(nameBytes).toString(flags & 0x800 ? 'utf8' : 'latin1');
    const entry = {
      name,
      flags,
      method: view.getUint16(at + 10, true),
      crc: view.getUint32(at + 16, true),
      compressedSize: view.getUint32(at + 20, true),
      size: view.getUint32(at + 24, true),
      localOffset: view.getUint32(at + 42, true),
    };
    if (entry.compressedSize === 0xffffffff || entry.size === 0xffffffff || entry.localOffset === 0xffffffff) {
      throw new KilnError('DMARC_REPORT_FORMAT', 'ZIP64 archives are not supported for DMARC reports');
    }
    entries.push(entry);
    at += 46 + nameLen + extraLen + commentLen;
  }
  return entries;
}

/** The entry's stored bytes (sizes from the central directory, which data descriptors leave out of the local header). */
export function zipEntryData(data: Uint8Array, e: ZipEntry): Uint8Array {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  if (e.localOffset + 30 > data.length || view.getUint32(e.localOffset, true) !== LOCAL) throw corrupt(`no local header for ${e.name}`);
  const start = e.localOffset + 30 + view.getUint16(e.localOffset + 26, true) + view.getUint16(e.localOffset + 28, true);
  if (start + e.compressedSize > data.length) throw corrupt(`${e.name} is truncated`);
  return data.subarray(start, start + e.compressedSize);
}
