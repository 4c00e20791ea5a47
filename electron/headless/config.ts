import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { KilnError } from '../../shared/errors';
import { parseDnsServers } from '../core/checks/resolver';

/** Data folder: --data, else KILN_DATA, else the XDG data home (~/.local/share/kiln). An empty value counts as unset (never the current folder). */
export function resolveDataDir(flag: string | undefined, env = process.env): string {
  const dir = flag || env.KILN_DATA || path.join(env.XDG_DATA_HOME || path.join(os.homedir(), '.local', 'share'), 'kiln');
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

/** "1,5,15,60": minutes before each retry of a transient SMTP failure. */
export function parseBackoff(value: string | undefined): number[] | undefined {
  if (value === undefined || value === '') return undefined;
  const list = value.split(',').map((x) => Number(x.trim()));
  if (list.length === 0 || list.length > 20 || list.some((n) => !Number.isFinite(n) || n <= 0 || n > 7 * 24 * 60)) {
    throw new KilnError('VALIDATION_FAILED', `retry backoff must be a comma list of minutes (each > 0, at most a week), e.g. 1,5,15,60; got "${value}"`);
  }
  return list;
}

/** A whole number of ms (or seconds) from the environment, within [min, max]; undefined when unset. */
export function envNumber(name: string, value: string | undefined, min: number, max: number): number | undefined {
  if (value === undefined || value === '') return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) throw new KilnError('VALIDATION_FAILED', `${name} must be a whole number from ${min} to ${max}, got "${value}"`);
  return n;
}

/** "127.0.0.1:5353,::1": resolvers for deliverability checks (DNS, blocklists). */
export function dnsServers(value: string | undefined): string[] | undefined {
  try {
    return parseDnsServers(value);
  } catch (e) {
    throw new KilnError('VALIDATION_FAILED', (e as Error).message);
  }
}

/** Hours between scheduled blocklist scans: default 6; 0 turns them off. */
export function blocklistScanHours(value: string | undefined): number {
  if (value === undefined || value.trim() === '') return 6;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0 || n > 24 * 30) throw new KilnError('VALIDATION_FAILED', `blocklist scan hours must be 0 (off) to 720, got "${value}"`);
  return n;
}
