// Sending domains: each one's latest DNS authentication status and its bulk-sender compliance,
// one domain's full report and history, and "Check now". `checks.updated` (a check run here, by
// the schedule or through the API) refreshes what is shown, throttled; nothing polls.
import { create } from 'zustand';
import type { Input } from '../../../../shared/api/table';
import type { AuthDomainSummary, AuthHistoryPoint, AuthReport } from '../../../../shared/domain/auth-check';
import type { DomainCompliance } from '../../../../shared/domain/health';
import { client } from '../../api/index';
import { failed, idle, loading, ready, throttle, toAppError, type AppError, type Remote } from '../../stores/errors';

export type CheckOptions = Omit<Input<'checks.domain'>, 'domain'>;

export interface DomainsStore {
  domains: Remote<AuthDomainSummary[]>;
  compliance: Remote<DomainCompliance[]>;
  /** The domain open in the detail view, its latest report (null data: never checked) and history. */
  open: string | null;
  report: Remote<AuthReport | null>;
  history: Remote<AuthHistoryPoint[]>;
  /** Domains whose check is running. */
  running: Record<string, boolean>;
  /** The last failed check, with its domain. */
  actionError: { domain: string; error: AppError } | null;
  load(): Promise<void>;
  openDomain(domain: string): Promise<void>;
  closeDomain(): void;
  check(domain: string, options?: CheckOptions): Promise<boolean>;
}

let subscribed = false;
let seq = 0;
let listSeq = 0;

export const useDomains = create<DomainsStore>()((set, get) => {
  const loadDetail = async (domain: string) => {
    const mine = ++seq;
    // Only a domain that was checked has a report: asking for another would be a 404.
    const summary = get().domains.data?.find((d) => d.domain === domain);
    const checked = Boolean(summary?.checkedAt) || get().report.data?.domain === domain;
    set((s) => ({ report: loading(s.report), history: loading(s.history) }));
    if (!checked) {
      if (mine === seq) set({ report: ready(null), history: ready([]) });
      return;
    }
    try {
      const [report, history] = await Promise.all([client.call('checks.domainLatest', { domain }), client.call('checks.domainHistory', { domain, days: 90 })]);
      if (mine === seq && get().open === domain) set({ report: ready(report), history: ready(history) });
    } catch (err) {
      if (mine === seq && get().open === domain) set((s) => ({ report: failed(s.report, err), history: failed(s.history, err) }));
    }
  };
  const reload = throttle(() => {
    void get()
      .load()
      .then(() => {
        const open = get().open;
        if (open) void loadDetail(open);
      });
  }, 1000);
  const subscribe = () => {
    if (subscribed) return;
    subscribed = true;
    client.on('checks.updated', reload);
    client.on('mailbox.updated', reload);
    client.on('mailbox.deleted', reload);
  };

  return {
    domains: idle(),
    compliance: idle(),
    open: null,
    report: idle(),
    history: idle(),
    running: {},
    actionError: null,

    async load() {
      subscribe();
      const mine = ++listSeq;
      set((s) => ({ domains: loading(s.domains), compliance: loading(s.compliance) }));
      await Promise.all([
        client.call('checks.domains', {}).then(
          (d) => mine === listSeq && set({ domains: ready(d) }),
          (err: unknown) => mine === listSeq && set((s) => ({ domains: failed(s.domains, err) })),
        ),
        client.call('health.compliance', {}).then(
          (c) => mine === listSeq && set({ compliance: ready(c) }),
          (err: unknown) => mine === listSeq && set((s) => ({ compliance: failed(s.compliance, err) })),
        ),
      ]);
    },

    async openDomain(domain) {
      subscribe();
      if (get().open !== domain) set({ open: domain, report: idle(), history: idle() });
      if (get().domains.status === 'idle') await get().load();
      if (get().open === domain) await loadDetail(domain);
    },
    closeDomain: () => set({ open: null }),

    async check(domain, options = {}) {
      set((s) => ({ running: { ...s.running, [domain]: true }, actionError: null }));
      try {
        const report = await client.call('checks.domain', { domain, ...options });
        if (get().open === domain) set({ report: ready(report) });
        await get().load();
        if (get().open === domain) await loadDetail(domain);
        return true;
      } catch (err) {
        set({ actionError: { domain, error: toAppError(err) } });
        return false;
      } finally {
        set((s) => ({ running: { ...s.running, [domain]: false } }));
      }
    },
  };
});
