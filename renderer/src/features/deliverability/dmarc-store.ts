// DMARC aggregate reports: where Kiln reads them (settings), "Read reports now", a report file
// uploaded by hand, and what they say (pass rates per domain and per source IP, recent reports).
// `dmarc.ingested` (a scheduled read, or one started elsewhere) refreshes it all.
import { create } from 'zustand';
import type { Input, Output } from '../../../../shared/api/table';
import type { DmarcIngestResult, DmarcReport, DmarcSettings, DmarcSummary } from '../../../../shared/domain/dmarc';
import { KilnError } from '../../../../shared/errors';
import { client } from '../../api/index';
import { failed, idle, loading, ready, scopedAction, throttle, type AppError, type Remote } from '../../stores/errors';

export type DmarcScope = 'settings' | 'ingest' | 'upload';
export interface ReportsPage {
  items: DmarcReport[];
  nextCursor: string | null;
}

export interface DmarcStore {
  settings: Remote<DmarcSettings>;
  summary: Remote<DmarcSummary>;
  reports: Remote<ReportsPage>;
  /** Days the summary covers. */
  days: number;
  ingesting: boolean;
  /** The answer of the last "Read reports now" in this window. */
  lastIngest: DmarcIngestResult | null;
  lastUpload: Output<'dmarc.upload'> | null;
  actionError: { scope: DmarcScope; error: AppError } | null;
  load(): Promise<void>;
  setDays(days: number): void;
  loadMoreReports(): Promise<void>;
  saveSettings(patch: Input<'dmarc.settings.update'>): Promise<boolean>;
  ingest(): Promise<boolean>;
  /** A report file as picked by the user; read as base64 here. */
  upload(file: { name: string; type: string; bytes: Uint8Array }): Promise<boolean>;
}

let subscribed = false;
let seq = 0;
const MAX_UPLOAD = 6_000_000;

function base64(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

export const useDmarc = create<DmarcStore>()((set, get) => {
  const loadData = async () => {
    const mine = ++seq;
    set((s) => ({ summary: loading(s.summary), reports: loading(s.reports) }));
    await Promise.all([
      client.call('dmarc.summary', { days: get().days }).then(
        (x) => mine === seq && set({ summary: ready(x) }),
        (err: unknown) => mine === seq && set((s) => ({ summary: failed(s.summary, err) })),
      ),
      client.call('dmarc.reports', { limit: 20 }).then(
        (x) => mine === seq && set({ reports: ready(x) }),
        (err: unknown) => mine === seq && set((s) => ({ reports: failed(s.reports, err) })),
      ),
    ]);
  };
  const loadSettings = async () => {
    set((s) => ({ settings: loading(s.settings) }));
    try {
      set({ settings: ready(await client.call('dmarc.settings.get', {})) });
    } catch (err) {
      set((s) => ({ settings: failed(s.settings, err) }));
    }
  };
  const reload = throttle(() => void Promise.all([loadData(), loadSettings()]), 1000);
  const act = scopedAction<DmarcScope>(set);

  return {
    settings: idle(),
    summary: idle(),
    reports: idle(),
    days: 30,
    ingesting: false,
    lastIngest: null,
    lastUpload: null,
    actionError: null,

    async load() {
      if (!subscribed) {
        subscribed = true;
        client.on('dmarc.ingested', reload);
      }
      await Promise.all([loadData(), loadSettings()]);
    },
    setDays(days) {
      set({ days });
      void loadData();
    },
    async loadMoreReports() {
      const prev = get().reports;
      const cursor = prev.data?.nextCursor;
      if (!cursor) return;
      set({ reports: loading(prev) });
      try {
        const page = await client.call('dmarc.reports', { limit: 20, cursor });
        set((s) => ({ reports: ready({ items: [...(s.reports.data?.items ?? []), ...page.items], nextCursor: page.nextCursor }) }));
      } catch (err) {
        set((s) => ({ reports: failed(s.reports, err) }));
      }
    },
    saveSettings: (patch) => act('settings', async () => set({ settings: ready(await client.call('dmarc.settings.update', patch)) })),
    async ingest() {
      set({ ingesting: true, lastIngest: null });
      const ok = await act('ingest', async () => {
        set({ lastIngest: await client.call('dmarc.ingest', {}) });
        await Promise.all([loadData(), loadSettings()]);
      });
      set({ ingesting: false });
      return ok;
    },
    upload: (file) =>
      act('upload', async () => {
        set({ lastUpload: null });
        // The API takes up to 8,000,000 base64 characters (about 6 MB): say so before sending.
        if (file.bytes.length > MAX_UPLOAD) throw new KilnError('VALIDATION_FAILED', `${file.name} is ${(file.bytes.length / 1e6).toFixed(1)} MB; a report file can be at most 6 MB`);
        set({ lastUpload: await client.call('dmarc.upload', { content: base64(file.bytes), filename: file.name.slice(0, 255), contentType: file.type ? file.type.slice(0, 100) : undefined }) });
        await loadData();
      }),
  };
});
