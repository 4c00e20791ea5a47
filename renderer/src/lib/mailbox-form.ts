// The add/edit mailbox form as the dialog holds it (strings, as typed), and its conversion to
// the API's create and update inputs. An update sends only what changed, and a password only
// when one was typed (empty means "unchanged").
import type { Mailbox, Provider, Security } from '../../../shared/domain/mailbox';
import type { Input } from '../../../shared/api/table';

export interface ServerForm {
  host: string;
  port: string;
  security: Security;
  user: string;
  password: string;
}

export interface MailboxForm {
  email: string;
  displayName: string;
  provider: Provider;
  timeZone: string;
  smtp: ServerForm;
  /** "Read this mailbox (IMAP)": needed to see where mail lands. */
  readImap: boolean;
  imap: ServerForm;
}

type Server = { host: string; port: number; security: Security; user?: string };

export const serverForm = (s?: Server | null): ServerForm => ({
  host: s?.host ?? '',
  port: s ? String(s.port) : '',
  security: s?.security ?? 'tls',
  user: s?.user ?? '',
  password: '',
});

export const emptyForm = (timeZone: string): MailboxForm => ({
  email: '',
  displayName: '',
  provider: 'custom',
  timeZone,
  smtp: serverForm(),
  readImap: true,
  imap: serverForm(),
});

export const formOf = (m: Mailbox): MailboxForm => ({
  email: m.email,
  displayName: m.displayName ?? '',
  provider: m.provider,
  timeZone: m.timeZone,
  smtp: serverForm(m.smtp),
  readImap: m.imap !== null,
  imap: serverForm(m.imap),
});

/** The form as saved: what the next update is compared with (passwords are never kept). */
export const withoutPasswords = (f: MailboxForm): MailboxForm => ({ ...f, smtp: { ...f.smtp, password: '' }, imap: { ...f.imap, password: '' } });

// A typed port that is not a number goes as NaN → null, so the core names the field that is wrong.
const port = (s: string): number => (s.trim() === '' ? Number.NaN : Number(s.trim()));

function server(f: ServerForm) {
  return {
    ...(f.host.trim() ? { host: f.host.trim() } : {}),
    ...(f.port.trim() ? { port: port(f.port) } : {}),
    security: f.security,
    ...(f.user.trim() ? { user: f.user.trim() } : {}),
    password: f.password,
  };
}

export function createInput(f: MailboxForm): Input<'mailboxes.create'> {
  return {
    email: f.email.trim(),
    provider: f.provider,
    ...(f.displayName.trim() ? { displayName: f.displayName.trim() } : {}),
    ...(f.timeZone.trim() ? { timeZone: f.timeZone.trim() } : {}),
    smtp: server(f.smtp),
    ...(f.readImap ? { imap: server(f.imap) } : {}),
  };
}

/** Changed fields of one server; a whole new server (IMAP turned on) when there was none. */
function serverPatch(now: ServerForm, was: ServerForm | null) {
  if (!was) return server(now);
  const p: Partial<ReturnType<typeof server>> = {};
  if (now.host.trim() !== was.host) p.host = now.host.trim();
  if (now.port.trim() !== was.port) p.port = port(now.port);
  if (now.security !== was.security) p.security = now.security;
  // An emptied user means "the address": the core keeps the old one, so only a typed one is sent.
  if (now.user.trim() !== was.user && now.user.trim() !== '') p.user = now.user.trim();
  if (now.password) p.password = now.password;
  return Object.keys(p).length > 0 ? p : undefined;
}

export function updateInput(id: string, f: MailboxForm, saved: MailboxForm): Input<'mailboxes.update'> {
  const input: Input<'mailboxes.update'> = { id };
  if (f.displayName.trim() !== saved.displayName) input.displayName = f.displayName.trim() || null;
  if (f.timeZone.trim() !== saved.timeZone) input.timeZone = f.timeZone.trim();
  const smtp = serverPatch(f.smtp, saved.smtp);
  if (smtp) input.smtp = smtp;
  if (!f.readImap) {
    if (saved.readImap) input.imap = null;
  } else {
    const imap = serverPatch(f.imap, saved.readImap ? saved.imap : null);
    if (imap) input.imap = imap;
  }
  return input;
}
