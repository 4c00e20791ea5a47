// The Messages screen's data: the filtered list (keyset pages), the open message with its content,
// and actions. message.updated events refresh the affected rows in place, never the whole list.
import { create } from 'zustand';
import type { Message, MessageWithEvents } from '../../../../shared/domain/message';
import type { Output } from '../../../../shared/api/table';
import { client } from '../../api';
import { failed, idle, loading, ready, toAppError, type AppError, type Remote } from '../../stores/errors';
import { apiFilter, filterKey, type MessageQuery } from './query';

type Page = { items: Message[]; nextCursor: string | null };
export type Content = Output<'messages.content'>;
export type RetryReport = Output<'messages.retryMany'>;
export type DiscardReport = Output<'messages.discard'>;

export interface MessagesStore {
  key: string;
  list: Remote<Page>;
  detail: Remote<{ message: MessageWithEvents; content: Content }>;
  detailId: string | null;
  busy: boolean;
  actionError: AppError | null;
  report: RetryReport | null;
  discardReport: DiscardReport | null;
  load(q: MessageQuery, more?: boolean): Promise<void>;
  open(id: string | null): Promise<void>;
  retry(id: string): Promise<void>;
  retryFailed(q: MessageQuery): Promise<void>;
  /** Discard every dead letter (failed message) matching the filters. */
  discardFailed(q: MessageQuery): Promise<void>;
  exportCsv(q: MessageQuery): Promise<{ filename: string; csv: string } | null>;
}

let subscribed = false;
let listSeq = 0;
let detailSeq = 0;
const PAGE = 100;

const strip = ({ events: _e, placements: _p, ...m }: MessageWithEvents): Message => m;

export const useMessages = create<MessagesStore>()((set, get) => {
  // Updates arriving together (a batch of sends) are fetched once each, after a short pause.
  const pending = new Set<string>();
  let timer: ReturnType<typeof setTimeout> | null = null;
  const flush = async () => {
    timer = null;
    const ids = [...pending];
    pending.clear();
    for (const id of ids) {
      const shown = get().list.data?.items.some((m) => m.id === id) ?? false;
      if (get().detailId === id) void get().open(id);
      if (!shown) continue;
      try {
        const fresh = strip(await client.call('messages.get', { id }));
        set((s) => (s.list.data ? { list: ready({ ...s.list.data, items: s.list.data.items.map((m) => (m.id === id ? fresh : m)) }) } : {}));
      } catch {
        // A row that cannot be read now keeps its last state; the next event tries again.
      }
    }
  };
  const subscribe = () => {
    if (subscribed) return;
    subscribed = true;
    client.on('message.updated', (e) => {
      pending.add(e.id);
      timer ??= setTimeout(() => void flush(), 150);
    });
  };

  return {
    key: '',
    list: idle(),
    detail: idle(),
    detailId: null,
    busy: false,
    actionError: null,
    report: null,
    discardReport: null,
    async load(q, more = false) {
      subscribe();
      const key = filterKey(q);
      const mine = ++listSeq;
      const prev = key === get().key ? get().list : idle<Page>();
      const cursor = more ? (prev.data?.nextCursor ?? undefined) : undefined;
      set({ key, list: loading(prev) });
      try {
        const page = await client.call('messages.list', { ...apiFilter(q), limit: PAGE, cursor });
        if (mine !== listSeq) return;
        set({ list: ready(more && prev.data ? { items: [...prev.data.items, ...page.items], nextCursor: page.nextCursor } : page) });
      } catch (err) {
        if (mine === listSeq) set((s) => ({ list: failed(s.list, err) }));
      }
    },
    async open(id) {
      subscribe();
      const mine = ++detailSeq;
      if (id === null) return set({ detailId: null, detail: idle() });
      const same = get().detailId === id;
      set((s) => ({ detailId: id, detail: same ? loading(s.detail) : loading(idle()) }));
      try {
        const [message, content] = await Promise.all([client.call('messages.get', { id }), client.call('messages.content', { id })]);
        if (mine === detailSeq) set({ detail: ready({ message, content }) });
      } catch (err) {
        if (mine === detailSeq) set((s) => ({ detail: failed(s.detail, err) }));
      }
    },
    async retry(id) {
      set({ busy: true, actionError: null, report: null, discardReport: null });
      try {
        await client.call('messages.retry', { id });
        pending.add(id);
        await flush();
      } catch (err) {
        set({ actionError: toAppError(err) });
      } finally {
        set({ busy: false });
      }
    },
    async retryFailed(q) {
      set({ busy: true, actionError: null, report: null, discardReport: null });
      try {
        const { status: _s, ...filter } = apiFilter(q);
        const report = await client.call('messages.retryMany', { filter });
        set({ report });
        // The rows stay where they are (even under status=failed) and change in place.
        for (const id of report.retriedIds) pending.add(id);
        await flush();
      } catch (err) {
        set({ actionError: toAppError(err) });
      } finally {
        set({ busy: false });
      }
    },
    async discardFailed(q) {
      set({ busy: true, actionError: null, report: null, discardReport: null });
      try {
        const { status: _s, ...filter } = apiFilter(q);
        const discardReport = await client.call('messages.discard', { filter });
        set({ discardReport });
        for (const id of discardReport.discardedIds) pending.add(id);
        await flush();
      } catch (err) {
        set({ actionError: toAppError(err) });
      } finally {
        set({ busy: false });
      }
    },
    async exportCsv(q) {
      set({ actionError: null });
      try {
        const { filename, csv } = await client.call('messages.export', apiFilter(q));
        return { filename, csv };
      } catch (err) {
        set({ actionError: toAppError(err) });
        return null;
      }
    },
  };
});
