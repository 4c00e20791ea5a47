import fs from 'node:fs';
import path from 'node:path';
import { KilnError } from '../../../shared/errors';

const FILE = 'dispatcher.lock';
// Who holds the lock, in words ("kiln serve", "the Kiln desktop app with its local API at …"),
// kept beside it: the lock itself stays a bare pid so older versions still read it.
const HOLDER = 'dispatcher.holder';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The holder's own description when it wrote one for this pid; "another Kiln process" otherwise. */
function holderOf(dataDir: string, pid: number): string {
  try {
    const note = JSON.parse(fs.readFileSync(path.join(dataDir, HOLDER), 'utf8')) as { pid?: unknown; holder?: unknown };
    if (note.pid === pid && typeof note.holder === 'string' && note.holder !== '') return note.holder.slice(0, 200);
  } catch {
    // absent or unreadable: fall back to the plain words
  }
  return 'another Kiln process';
}

/** Describe this process as the holder (the desktop adds its local API's address while it is on). */
export function noteDispatchHolder(dataDir: string, holder: string): void {
  try {
    fs.writeFileSync(path.join(dataDir, HOLDER), JSON.stringify({ pid: process.pid, holder }), { mode: 0o600 });
  } catch {
    // only words for a refusal message: never a reason to fail
  }
}

/**
 * One sending process per data folder: the dispatcher keeps its claims in memory between group
 * commits, so a second one on the same folder could send a message twice. CLI commands that only
 * read or configure never take this lock. A refusal names the holder (DATA_FOLDER_IN_USE).
 */
export function acquireDispatchLock(dataDir: string, holder?: string): () => void {
  const file = path.join(dataDir, FILE);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(file, String(process.pid), { flag: 'wx', mode: 0o600 });
      if (holder) noteDispatchHolder(dataDir, holder);
      return () => {
        try {
          if (fs.readFileSync(file, 'utf8') === String(process.pid)) {
            fs.rmSync(path.join(dataDir, HOLDER), { force: true });
            fs.unlinkSync(file);
          }
        } catch {
          // already gone
        }
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const pid = Number(fs.readFileSync(file, 'utf8'));
      if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && alive(pid)) {
        throw new KilnError(
          'DATA_FOLDER_IN_USE',
          `The data folder ${dataDir} is in use: ${holderOf(dataDir, pid)} (pid ${pid}) is already sending from it; stop it first or use another data folder`,
          { pid, holder: holderOf(dataDir, pid) },
        );
      }
      fs.unlinkSync(file); // left by a process that died: take it over
    }
  }
  throw new KilnError('DATA_FOLDER_IN_USE', `Could not take the dispatcher lock ${file}`);
}
