import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { KilnError } from '../../shared/errors';

/** Data folder: --data, else KILN_DATA, else the XDG data home (~/.local/share/kiln). */
export function resolveDataDir(flag: string | undefined, env = process.env): string {
  const dir = flag ?? env.KILN_DATA ?? path.join(env.XDG_DATA_HOME || path.join(os.homedir(), '.local', 'share'), 'kiln');
  return path.resolve(dir);
}

export function parsePort(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new KilnError('VALIDATION_FAILED', `port must be an integer 0-65535, got "${value}"`);
  return n;
}

/** PEM certificates to trust in addition to the system store (private relays with their own CA). */
export function readCaFile(file: string | undefined): string[] | undefined {
  if (!file) return undefined;
  try {
    return [fs.readFileSync(file, 'utf8')];
  } catch (e) {
    throw new KilnError('VALIDATION_FAILED', `cannot read CA file ${file}: ${(e as NodeJS.ErrnoException).code ?? 'error'}`);
  }
}

export function secretBackend(value: string | undefined): 'auto' | 'file' | 'keytar' {
  const v = value ?? 'auto';
  if (v === 'auto' || v === 'file' || v === 'keytar') return v;
  throw new KilnError('VALIDATION_FAILED', `secret backend must be auto, file or keytar, got "${v}"`);
}
