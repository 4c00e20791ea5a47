import fs from 'node:fs';
import path from 'node:path';
import { KilnError } from '../../../shared/errors';

const FILE = 'dispatcher.lock';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * One sending process per data folder: the dispatcher keeps its claims in memory between group
 * commits, so a second one on the same folder could send a message twice. CLI commands that only
 * read or configure never take this lock.
 */
export function acquireDispatchLock(dataDir: string): () => void {
  const file = path.join(dataDir, FILE);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(file, String(process.pid), { flag: 'wx', mode: 0o600 });
      return () => {
        try {
          if (fs.readFileSync(file, 'utf8') === String(process.pid)) fs.unlinkSync(file);
        } catch {
          // already gone
        }
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const pid = Number(fs.readFileSync(file, 'utf8'));
      if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && alive(pid)) {
        throw new KilnError('CONFLICT', `Another Kiln process (pid ${pid}) is already sending from ${dataDir}; stop it first or use another data folder`);
      }
      fs.unlinkSync(file); // left by a process that died: take it over
    }
  }
  throw new KilnError('CONFLICT', `Could not take the dispatcher lock ${file}`);
}
