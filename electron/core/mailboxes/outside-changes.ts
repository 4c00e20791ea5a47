import type { MailboxRow } from '../db/schema';
import type { Db } from '../db/connection';
import type { EventBus } from '../events/bus';
import type { Logger } from '../log';
import { toMailbox } from './repository';

/** How often the server looks for mailbox changes other processes (the CLI) committed. */
export const OUTSIDE_CHANGES_EVERY_MS = 2_000;

/**
 * Mailboxes added, changed or deleted by another process sharing the data folder (`kiln mailbox
 * add` next to `kiln serve`) announced as if this process had made them, so the feedback watchers,
 * the dispatcher and open screens react at once instead of at the next restart.
 *
 * Cheap when nothing happens: `PRAGMA data_version` moves only when another connection commits,
 * so the table is read only then. Our own changes are remembered as they are announced on the bus
 * and so never announced twice.
 */
export interface OutsideChangesNeeds {
  db: Db;
  bus: EventBus;
  log: Logger;
}

export function outsideMailboxChanges(deps: OutsideChangesNeeds, everyMs = OUTSIDE_CHANGES_EVERY_MS) {
  const sqlite = deps.db.sqlite;
  const dataVersion = sqlite.prepare('PRAGMA data_version').pluck();
  const all = sqlite.prepare('SELECT * FROM mailboxes');
  const one = sqlite.prepare('SELECT * FROM mailboxes WHERE id = ?');
  /** id -> the row as last seen or announced (a soft-deleted mailbox keeps its row). */
  const known = new Map<string, { print: string; workspaceId: string }>();
  let version = -1;
  let timer: NodeJS.Timeout | null = null;
  let unsubscribe: (() => void) | null = null;

  const remember = (row: MailboxRow) => known.set(row.id, { print: JSON.stringify(row), workspaceId: row.workspace_id });

  function snapshot(): void {
    version = dataVersion.get() as number;
    known.clear();
    for (const row of all.all() as MailboxRow[]) remember(row);
  }

  function announce(id: string, workspaceId: string, row: MailboxRow | null): void {
    const deleted = !row || row.deleted_at != null;
    deps.bus.tell('mailbox.sendingChanged', { mailboxId: id, change: deleted ? 'deleted' : 'settings' });
    if (deleted) {
      deps.bus.emit(workspaceId, 'mailbox.deleted', { id });
    } else {
      deps.bus.emit(workspaceId, 'mailbox.updated', toMailbox(row));
    }
  }

  /** Announces what other processes changed since the last look; returns how many mailboxes. */
  function tick(): number {
    const now = dataVersion.get() as number;
    if (now === version) return 0;
    version = now;
    const seen = new Set<string>();
    let changed = 0;
    for (const row of all.all() as MailboxRow[]) {
      seen.add(row.id);
      const before = known.get(row.id);
      if (before?.print === JSON.stringify(row)) continue;
      remember(row);
      // A row first seen already deleted was never announced: nothing to take back.
      if (before === undefined && row.deleted_at != null) continue;
      announce(row.id, row.workspace_id, row);
      changed++;
    }
    for (const [id, { workspaceId }] of [...known]) {
      if (seen.has(id)) continue;
      known.delete(id);
      announce(id, workspaceId, null);
      changed++;
    }
    if (changed > 0) deps.log.info({ changed }, 'mailboxes changed by another process');
    return changed;
  }

  return {
    tick,

    start(): void {
      snapshot();
      // This process's own changes are already on the bus: remember them as seen.
      unsubscribe = deps.bus.subscribe((e) => {
        if (e.name !== 'mailbox.updated' && e.name !== 'mailbox.deleted') return;
        const id = (e.data as { id: string }).id;
        const row = one.get(id) as MailboxRow | undefined;
        if (row) remember(row);
        else known.delete(id);
      });
      timer = setInterval(() => {
        try {
          tick();
        } catch (err) {
          deps.log.warn({ err: (err as Error).message }, 'could not look for mailbox changes by other processes');
        }
      }, everyMs);
      timer.unref();
    },

    stop(): void {
      if (timer) clearInterval(timer);
      timer = null;
      unsubscribe?.();
      unsubscribe = null;
    },
  };
}
export type OutsideMailboxChanges = ReturnType<typeof outsideMailboxChanges>;
