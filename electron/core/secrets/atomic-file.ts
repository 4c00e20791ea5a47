// Small fs helpers shared by the file-backed secret stores. A crash mid-write must leave either
// the old file or the new one, never half of each, and secret files are private to the owner.
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';

export const PRIVATE_FILE_MODE = 0o600;
const isWindows = process.platform === 'win32';

async function writeTemp(target: string, data: string | Buffer): Promise<string> {
  const tmp = path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  const fh = await fs.open(tmp, 'wx', PRIVATE_FILE_MODE);
  try {
    await fh.chmod(PRIVATE_FILE_MODE); // the umask could only remove bits, but be exact
    await fh.writeFile(data);
    await fh.sync();
  } catch (e) {
    await fh.close().catch(() => undefined);
    await fs.rm(tmp, { force: true });
    throw e;
  }
  await fh.close();
  return tmp;
}

// fsync the directory so the rename itself survives a power cut (not possible on Windows).
async function syncDir(dir: string): Promise<void> {
  if (isWindows) return;
  const dh = await fs.open(dir, 'r');
  try {
    await dh.sync();
  } finally {
    await dh.close();
  }
}

/** Replace `target` atomically: temp file (0600) + fsync + rename + fsync(dir). */
export async function writeFileAtomic(target: string, data: string | Buffer): Promise<void> {
  const tmp = await writeTemp(target, data);
  try {
    await fs.rename(tmp, target);
  } catch (e) {
    await fs.rm(tmp, { force: true });
    throw e;
  }
  await syncDir(path.dirname(target));
}

/**
 * Create `target` with full contents only if it does not exist yet (link() fails on EEXIST),
 * so two processes starting at once agree on one key file. Returns false if it already existed.
 */
export async function createFileExclusive(target: string, data: string | Buffer): Promise<boolean> {
  const tmp = await writeTemp(target, data);
  try {
    await fs.link(tmp, target);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw e;
  } finally {
    await fs.rm(tmp, { force: true });
  }
  await syncDir(path.dirname(target));
  return true;
}

/** Read a file, or null when it does not exist. */
export async function readFileIfExists(file: string): Promise<Buffer | null> {
  try {
    return await fs.readFile(file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
}

/** The data folder holds keys: create it owner-only (an existing folder is left as it is). */
export async function ensurePrivateDir(dir: string): Promise<void> {
  await fs.mkdir(dir, { recursive: true, mode: 0o700 });
}

/** Runs async tasks one after another, so read-modify-write cycles within a process never interleave. */
export class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(task: () => Promise<T>): Promise<T> {
    const result = this.tail.then(task, task);
    this.tail = result.catch(() => undefined);
    return result;
  }
}
