import fs from 'node:fs';
import path from 'node:path';

const FILE = 'wire.log';
/** Rewrite the log once it grows past this, keeping only entries still in doubt. */
const ROTATE_BYTES = 256 * 1024;

/**
 * An append-only record of "message M, attempt N is about to go on the wire", written with one
 * synchronous write before nodemailer may transmit it. SQLite learns about sends in batches (group
 * commit); after a crash this log says exactly which messages may have reached a server, so the
 * rest are simply sent and only these are settled (settle.ts). Like the WAL (synchronous =
 * NORMAL) it survives a process crash, not a power cut.
 */
export class WireLog {
  private fd: number;
  private readonly file: string;
  private size = 0;

  constructor(dataDir: string) {
    this.file = path.join(dataDir, FILE);
    this.fd = fs.openSync(this.file, 'a', 0o600);
    this.size = fs.fstatSync(this.fd).size;
  }

  /** Entries left by the previous run: message id → highest attempt put on the wire. */
  read(): Map<string, number> {
    const out = new Map<string, number>();
    for (const line of fs.readFileSync(this.file, 'utf8').split('\n')) {
      const [id, attempt] = line.split(' ');
      const n = Number(attempt);
      // A torn last line (crash mid-write) has no valid attempt and was never followed by a send.
      if (id && Number.isInteger(n) && n > 0) out.set(id, Math.max(n, out.get(id) ?? 0));
    }
    return out;
  }

  onWire(id: string, attempt: number): void {
    const line = `${id} ${attempt}\n`;
    fs.writeSync(this.fd, line);
    this.size += line.length;
  }

  /** Keep only `outstanding` once the log is big (all other entries are committed in SQLite). */
  compact(outstanding: Iterable<{ id: string; attempt: number }>, force = false): void {
    if (!force && this.size < ROTATE_BYTES) return;
    const tmp = `${this.file}.tmp`;
    const body = [...outstanding].map((e) => `${e.id} ${e.attempt}\n`).join('');
    fs.writeFileSync(tmp, body, { mode: 0o600 });
    fs.renameSync(tmp, this.file);
    fs.closeSync(this.fd);
    this.fd = fs.openSync(this.file, 'a', 0o600);
    this.size = body.length;
  }

  close(): void {
    fs.closeSync(this.fd);
  }
}
