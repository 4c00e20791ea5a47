// Report settings per workspace, one JSON value under `reports.settings` in workspace_settings
// (the key/value table placement-test schedules use: no table of its own is needed).
import type { ReportSettings } from '../../../shared/domain/report';
import { reportSettings } from '../../../shared/domain/report';
import type { ParsedInput } from '../../../shared/api/table';
import type BetterSqlite3 from 'better-sqlite3';
import { KilnError } from '../../../shared/errors';
import { parseJson } from '../util/json';

const KEY = 'reports.settings';

export const defaultReportSettings = (): ReportSettings => ({
  consultantName: null,
  logoDataUrl: null,
  timeZone: 'UTC',
  weekly: { enabled: false, recipient: null, mailboxId: null, weekday: 1, hour: 8 },
  lastSentWeek: null,
  lastWeekly: null,
});

export function reportSettingsStore(sqlite: BetterSqlite3.Database, now: () => number) {
  const getSt = sqlite.prepare('SELECT value FROM workspace_settings WHERE workspace_id = ? AND key = ?').pluck();
  const putSt = sqlite.prepare(
    `INSERT INTO workspace_settings (workspace_id, key, value, updated_at) VALUES (?, ?, ?, ?)
     ON CONFLICT (workspace_id, key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
  );
  const withWeekly = sqlite.prepare('SELECT workspace_id FROM workspace_settings WHERE key = ? AND json_extract(value, \'$.weekly.enabled\') = 1').pluck();
  const mailboxSt = sqlite.prepare('SELECT 1 FROM mailboxes WHERE workspace_id = ? AND id = ? AND deleted_at IS NULL').pluck();

  function get(workspaceId: string): ReportSettings {
    const parsed = reportSettings.safeParse(parseJson<unknown>(getSt.get(workspaceId, KEY) as string | null));
    return parsed.success ? parsed.data : defaultReportSettings();
  }
  const put = (workspaceId: string, s: ReportSettings) => putSt.run(workspaceId, KEY, JSON.stringify(s), now());

  return {
    get,
    set(workspaceId: string, patch: ParsedInput<'reports.settings.set'>): ReportSettings {
      const cur = get(workspaceId);
      const next: ReportSettings = {
        ...cur,
        ...(patch.consultantName !== undefined ? { consultantName: patch.consultantName?.trim() || null } : {}),
        ...(patch.logoDataUrl !== undefined ? { logoDataUrl: patch.logoDataUrl } : {}),
        ...(patch.timeZone !== undefined ? { timeZone: patch.timeZone } : {}),
        weekly: { ...cur.weekly, ...patch.weekly },
      };
      const w = next.weekly;
      if (w.mailboxId && !mailboxSt.get(workspaceId, w.mailboxId)) throw new KilnError('VALIDATION_FAILED', `No mailbox ${w.mailboxId} in this workspace`, { fields: [{ path: 'weekly.mailboxId', message: 'unknown mailbox' }] });
      if (w.enabled && (!w.recipient || !w.mailboxId)) {
        throw new KilnError('VALIDATION_FAILED', 'The weekly mail needs a recipient address and a sending mailbox', { fields: [{ path: 'weekly', message: 'recipient and mailbox required' }] });
      }
      put(workspaceId, next);
      return next;
    },
    /** Record the week the weekly mail went out (before it is queued: never twice). */
    markSent(workspaceId: string, week: string): void {
      put(workspaceId, { ...get(workspaceId), lastSentWeek: week });
    },
    /** What became of the slot's mail, for the screen: the message it queued, or the refusal. */
    recordWeekly(workspaceId: string, result: NonNullable<ReportSettings['lastWeekly']>): void {
      put(workspaceId, { ...get(workspaceId), lastWeekly: result });
    },
    weeklyWorkspaces: (): string[] => withWeekly.all(KEY) as string[],
  };
}
export type ReportSettingsStore = ReturnType<typeof reportSettingsStore>;
