// A mailbox's health score (parts and daily history) and its domain's latest DNS check, for the
// Health tab. Fresh on push events: a check of its domain, a blocklist scan, a placement test, and
// (throttled) the mailbox's own mail, whose placements move the score. Never polled.
import { create } from 'zustand';
import type { MailboxHealth } from '../../../../shared/domain/health';
import type { MailboxChecks } from '../../../../shared/domain/auth-check';
import { client } from '../../api/index';
import { failed, idle, loading, ready, throttle, type Remote } from '../../stores/errors';

export interface HealthStore {
  id: string | null;
  health: Remote<MailboxHealth>;
  checks: Remote<MailboxChecks>;
  open(id: string): Promise<void>;
  close(): void;
  reload(): Promise<void>;
}

const DAYS = 30;
let subscribed = false;
let watching = false;

export const useHealth = create<HealthStore>()((set, get) => {
  const fetchHealth = async (id: string) => {
    set((s) => ({ health: loading(s.health) }));
    try {
      const h = await client.call('health.mailbox', { id, days: DAYS });
      if (get().id === id) set({ health: ready(h) });
    } catch (err) {
      if (get().id === id) set((s) => ({ health: failed(s.health, err) }));
    }
  };
  const fetchChecks = async (id: string) => {
    set((s) => ({ checks: loading(s.checks) }));
    try {
      const c = await client.call('checks.mailbox', { id });
      if (get().id === id) set({ checks: ready(c) });
    } catch (err) {
      if (get().id === id) set((s) => ({ checks: failed(s.checks, err) }));
    }
  };
  // A score moves slowly: one refetch every few seconds at most, however busy the mailbox is.
  const refresh = throttle(() => void (watching && get().reload()), 3000);
  const subscribe = () => {
    if (subscribed) return;
    subscribed = true;
    client.on('checks.updated', (e) => watching && e.domain === get().checks.data?.domain && refresh());
    client.on('blocklists.updated', () => watching && refresh());
    client.on('placementTests.updated', () => watching && refresh());
    client.on('message.updated', (e) => watching && e.mailboxId === get().id && refresh());
  };
  return {
    id: null,
    health: idle(),
    checks: idle(),
    async open(id) {
      subscribe();
      watching = true;
      if (get().id !== id) set({ id, health: idle(), checks: idle() });
      await get().reload();
    },
    close() {
      watching = false;
    },
    async reload() {
      const id = get().id;
      if (id) await Promise.all([fetchHealth(id), fetchChecks(id)]);
    },
  };
});
