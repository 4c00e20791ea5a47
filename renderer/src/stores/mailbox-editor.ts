// The add/edit mailbox dialog: saving, then the stage-by-stage connection test, and saving again
// after a fix (a wrong password shows as a failed `auth` stage; the fix re-runs the test).
import { create } from 'zustand';
import type { ConnectionTestResult, Mailbox, Provider, Security } from '../../../shared/domain/mailbox';
import type { Output } from '../../../shared/api/table';
import { client } from '../api';
import { toAppError, type AppError } from './errors';
import { useFleet } from './fleet';

export interface ServerForm {
  host: string;
  port: string;
  security: Security;
  user: string;
  /** Empty when editing means "unchanged". */
  password: string;
}

export interface MailboxForm {
  email: string;
  displayName: string;
  provider: Provider;
  timeZone: string;
  smtp: ServerForm;
  readImap: boolean;
  imap: ServerForm;
}

export type ProviderPreset = Output<'providers.list'>[number];

const server = (s?: { host: string; port: number; security: Security; user?: string } | null): ServerForm => ({
  host: s?.host ?? '',
  port: s ? String(s.port) : '',
  security: s?.security ?? 'tls',
  user: s?.user ?? '',
  password: '',
});

export const emptyForm = (): MailboxForm => ({
  email: '',
  displayName: '',
  provider: 'custom',
  timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone,
  smtp: server(),
  readImap: true,
  imap: server(),
});

const formOf = (m: Mailbox): MailboxForm => ({
  email: m.email,
  displayName: m.displayName ?? '',
  provider: m.provider,
  timeZone: m.timeZone,
  smtp: server(m.smtp),
  readImap: m.imap !== null,
  imap: server(m.imap),
});

function serverInput(f: ServerForm) {
  return {
    host: f.host.trim() || undefined,
    port: f.port.trim() ? Number(f.port) : undefined,
    security: f.security,
    user: f.user.trim() || undefined,
    ...(f.password ? { password: f.password } : {}),
  };
}

export interface MailboxEditor {
  open: boolean;
  /** Set once the mailbox exists (after the first save, or when editing). */
  id: string | null;
  initial: MailboxForm;
  providers: ProviderPreset[];
  saving: boolean;
  testing: boolean;
  error: AppError | null;
  result: ConnectionTestResult | null;
  openNew(): void;
  openEdit(id: string): Promise<void>;
  close(): void;
  loadProviders(): Promise<void>;
  /** Create or update, then run the connection test. */
  save(form: MailboxForm): Promise<void>;
  test(): Promise<void>;
}

export const useMailboxEditor = create<MailboxEditor>()((set, get) => ({
  open: false,
  id: null,
  initial: emptyForm(),
  providers: [],
  saving: false,
  testing: false,
  error: null,
  result: null,

  openNew: () => set({ open: true, id: null, initial: emptyForm(), error: null, result: null }),
  async openEdit(id) {
    set({ open: true, id, error: null, result: null });
    try {
      set({ initial: formOf(await client.call('mailboxes.get', { id })) });
    } catch (err) {
      set({ error: toAppError(err) });
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
      const common = { displayName: form.displayName.trim() || undefined, timeZone: form.timeZone || undefined };
      if (id) {
        await client.call('mailboxes.update', {
          id,
          ...common,
          smtp: serverInput(form.smtp),
          imap: form.readImap ? serverInput(form.imap) : null,
        });
      } else {
        const created = await client.call('mailboxes.create', {
          email: form.email.trim(),
          provider: form.provider,
          ...common,
          smtp: { ...serverInput(form.smtp), password: form.smtp.password },
          imap: form.readImap ? { ...serverInput(form.imap), password: form.imap.password } : undefined,
        });
        set({ id: created.id });
      }
      void useFleet.getState().load();
    } catch (err) {
      set({ saving: false, error: toAppError(err) });
      return;
    }
    set({ saving: false });
    await get().test();
  },

  async test() {
    const id = get().id;
    if (!id) return;
    set({ testing: true, result: null, error: null });
    try {
      set({ result: await client.call('mailboxes.test', { id }) });
    } catch (err) {
      set({ error: toAppError(err) });
    } finally {
      set({ testing: false });
    }
  },
}));
