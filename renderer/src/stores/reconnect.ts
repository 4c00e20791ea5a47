// Reconnect: a mailbox whose grant was revoked (or whose refreshes keep failing) signs in again
// with the same provider and app, and `mailboxes.update` takes the new grant; its history, warmup
// and settings stay.
import { create } from 'zustand';
import type { Mailbox } from '../../../shared/domain/mailbox';
import { client } from '../api';
import { toAppError, type AppError } from './errors';
import { useFleet } from './fleet';

export interface ReconnectStore {
  /** The mailbox being reconnected (the dialog is open while set). */
  openId: string | null;
  mailbox: Mailbox | null;
  loading: boolean;
  saving: boolean;
  done: boolean;
  error: AppError | null;
  open(id: string): Promise<void>;
  close(): void;
  /** Give the mailbox the grant of a signed-in sign-in. True when the core took it. */
  finish(signInId: string): Promise<boolean>;
}

export const useReconnect = create<ReconnectStore>()((set, get) => ({
  openId: null,
  mailbox: null,
  loading: false,
  saving: false,
  done: false,
  error: null,

  async open(id) {
    set({ openId: id, loading: true, error: null, done: false, mailbox: null });
    try {
      const m = await client.call('mailboxes.get', { id });
      if (get().openId === id) set({ mailbox: m });
    } catch (err) {
      set({ error: toAppError(err) });
    } finally {
      set({ loading: false });
    }
  },

  close: () => set({ openId: null, mailbox: null, loading: false, error: null, done: false }),

  async finish(signInId) {
    const m = get().mailbox;
    if (!m) return false;
    set({ saving: true, error: null });
    try {
      set({ mailbox: await client.call('mailboxes.update', { id: m.id, auth: { kind: 'oauth2', signInId } }), done: true });
      void useFleet.getState().load();
      return true;
    } catch (err) {
      set({ error: toAppError(err) });
      return false;
    } finally {
      set({ saving: false });
    }
  },
}));
