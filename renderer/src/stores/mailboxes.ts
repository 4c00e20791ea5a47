// The add/edit mailbox dialog: save (create, or update with what changed), then the stage-by-stage
// connection test; after a failed stage the user fixes a field and saves and tests again.
import { create } from 'zustand';
import type { ConnectionTestResult } from '../../../shared/domain/mailbox';
import type { Output } from '../../../shared/api/table';
import { client } from '../api';
import { createInput, emptyForm, formOf, updateInput, withoutPasswords, type MailboxForm } from '../lib/mailbox-form';
import { toAppError, type AppError } from './errors';
import { useFleet } from './fleet';
import { useSignIn } from './sign-in';

export type ProviderPreset = Output<'providers.list'>[number];
/** A running test's place, per protocol, from `mailbox.testProgress` events. */
export type TestProgress = Partial<Record<'smtp' | 'imap', { running: string | null; passed: string[]; notUsed?: string[] }>>;

const browserTimeZone = (): string => Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';

export interface MailboxEditor {
  open: boolean;
  /** Set once the mailbox exists (after the first save, or when editing). */
  id: string | null;
  /** The form as last loaded or saved; bumps `version` so the dialog starts from it. */
  saved: MailboxForm;
  version: number;
  loading: boolean;
  providers: ProviderPreset[];
  saving: boolean;
  testing: boolean;
  error: AppError | null;
  result: ConnectionTestResult | null;
  progress: TestProgress;
  openNew(): void;
  openEdit(id: string): Promise<void>;
  close(): void;
  loadProviders(): Promise<void>;
  /** Create or update, then run the connection test. False when the save was refused. */
  save(form: MailboxForm): Promise<boolean>;
  test(): Promise<void>;
}

let subscribed = false;

export const useMailboxEditor = create<MailboxEditor>()((set, get) => ({
  open: false,
  id: null,
  saved: emptyForm('UTC'),
  version: 0,
  loading: false,
  providers: [],
  saving: false,
  testing: false,
  error: null,
  result: null,
  progress: {},

  openNew: () => set((s) => ({ open: true, id: null, saved: emptyForm(browserTimeZone()), version: s.version + 1, loading: false, error: null, result: null })),

  async openEdit(id) {
    set({ open: true, id, loading: true, error: null, result: null });
    try {
      const m = await client.call('mailboxes.get', { id });
      if (get().id === id) set((s) => ({ saved: formOf(m), version: s.version + 1 }));
    } catch (err) {
      set({ error: toAppError(err) });
    } finally {
      set({ loading: false });
    }
  },

  close: () => set({ open: false }),

  async loadProviders() {
    if (get().providers.length > 0) return;
    try {
      set({ providers: await client.call('providers.list', {}) });
    } catch (err) {
      set({ error: toAppError(err) });
    }
  },

  async save(form) {
    set({ saving: true, error: null });
    const id = get().id;
    try {
      if (id) await client.call('mailboxes.update', updateInput(id, form, get().saved));
      else {
        // An OAuth mailbox takes the grant of the sign-in the dialog completed, once.
        const signIn = form.signInWith ? useSignIn.getState().current : null;
        set({ id: (await client.call('mailboxes.create', createInput(form, signIn?.id))).id });
        if (signIn) useSignIn.getState().used();
      }
      // The form stays as typed; it is only the baseline of the next "what changed".
      set({ saved: withoutPasswords(form) });
      void useFleet.getState().load();
    } catch (err) {
      set({ error: toAppError(err) });
      return false;
    } finally {
      set({ saving: false });
    }
    await get().test();
    return true;
  },

  async test() {
    const id = get().id;
    if (!id) return;
    if (!subscribed) {
      subscribed = true;
      client.on('mailbox.testProgress', ({ id: of, protocol, running, passed, notUsed }) => {
        if (get().testing && get().id === of) set((s) => ({ progress: { ...s.progress, [protocol]: { running, passed, notUsed } } }));
      });
    }
    set({ testing: true, result: null, error: null, progress: {} });
    try {
      set({ result: await client.call('mailboxes.test', { id }) });
    } catch (err) {
      set({ error: toAppError(err) });
    } finally {
      set({ testing: false });
    }
  },
}));
