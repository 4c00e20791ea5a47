// The Reports screen's state: the range, the report page for the preview, downloads and settings.
import { create } from 'zustand';
import type { Input, Output } from '../../../../shared/api/table';
import { client } from '../../api/index';
import { failed, idle, loading, ready, toAppError, type AppError, type Remote } from '../../stores/errors';

type Settings = Output<'reports.settings.get'>;
type Mailbox = Output<'mailboxes.list'>[number];

interface ReportsStore {
  preview: Remote<{ filename: string; html: string }>;
  settings: Remote<Settings>;
  mailboxes: Mailbox[];
  busy: 'pdf' | 'csv' | 'settings' | null;
  actionError: AppError | null;
  saved: boolean;
  loadPreview(from: string, to: string): Promise<void>;
  loadSettings(): Promise<void>;
  saveSettings(patch: Input<'reports.settings.set'>): Promise<boolean>;
  /** The PDF (base64) or CSV of the range; null when it failed (actionError says why). */
  file(kind: 'pdf' | 'csv', from: string, to: string): Promise<{ filename: string; pdf?: string; csv?: string } | null>;
}

let generation = 0;

export const useReports = create<ReportsStore>()((set, get) => ({
  preview: idle(),
  settings: idle(),
  mailboxes: [],
  busy: null,
  actionError: null,
  saved: false,
  async loadPreview(from, to) {
    const mine = ++generation;
    set({ preview: loading(get().preview) });
    try {
      const page = await client.call('reports.html', { from, to });
      if (mine === generation) set({ preview: ready(page) });
    } catch (err) {
      if (mine === generation) set({ preview: failed(get().preview, err) });
    }
  },
  async loadSettings() {
    set({ settings: loading(get().settings) });
    try {
      const [settings, mailboxes] = await Promise.all([client.call('reports.settings.get', {}), client.call('mailboxes.list', {})]);
      set({ settings: ready(settings), mailboxes });
    } catch (err) {
      set({ settings: failed(get().settings, err) });
    }
  },
  async saveSettings(patch) {
    set({ busy: 'settings', actionError: null, saved: false });
    try {
      set({ settings: ready(await client.call('reports.settings.set', patch)), saved: true });
      return true;
    } catch (err) {
      set({ actionError: toAppError(err) });
      return false;
    } finally {
      set({ busy: null });
    }
  },
  async file(kind, from, to) {
    set({ busy: kind, actionError: null });
    try {
      return kind === 'pdf' ? await client.call('reports.pdf', { from, to }) : await client.call('reports.csv', { from, to });
    } catch (err) {
      set({ actionError: toAppError(err) });
      return null;
    } finally {
      set({ busy: null });
    }
  },
}));
