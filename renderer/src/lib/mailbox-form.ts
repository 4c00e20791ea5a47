// The add/edit mailbox form as the dialog holds it (strings, as typed), and its conversion to
// the API's create and update inputs. An update sends only what changed, and a password only
// when one was typed (empty means "unchanged"). A mailbox that signs in with OAuth sends no
// password: a new one carries the completed sign-in's id.
import type { Mailbox, Provider, Security } from '../../../shared/domain/mailbox';
import type { OAuthProvider } from '../../../shared/domain/oauth';
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
  /** How it signs in: null = a password on each server, else OAuth with this provider. */
  signInWith: OAuthProvider | null;
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
  signInWith: null,
  timeZone,
  smtp: serverForm(),
  readImap: true,
  imap: serverForm(),
});

export const formOf = (m: Mailbox): MailboxForm => ({
  email: m.email,
  displayName: m.displayName ?? '',
  provider: m.provider,
  signInWith: m.auth.kind === 'oauth2' ? m.auth.provider : null,
  timeZone: m.timeZone,
  smtp: serverForm(m.smtp),
  readImap: m.imap !== null,
  imap: serverForm(m.imap),
});

/** The form as saved: what the next update is compared with (passwords are never kept). */
export const withoutPasswords = (f: MailboxForm): MailboxForm => ({ ...f, smtp: { ...f.smtp, password: '' }, imap: { ...f.imap, password: '' } });

// A typed port that is not a number goes as NaN → null, so the core names the field that is wrong.
const port = (s: string): number => (s.trim() === '' ? Number.NaN : Number(s.trim()));

function server(f: ServerForm, withPassword = true) {
  return {
    ...(f.host.trim() ? { host: f.host.trim() } : {}),
    ...(f.port.trim() ? { port: port(f.port) } : {}),
    security: f.security,
    ...(f.user.trim() ? { user: f.user.trim() } : {}),
    ...(withPassword ? { password: f.password } : {}),
  };
}

/** `signInId`: the OAuth sign-in whose grant the new mailbox takes (a form with `signInWith` set). */
export function createInput(f: MailboxForm, signInId?: string): Input<'mailboxes.create'> {
  const oauth = f.signInWith !== null;
  return {
    email: f.email.trim(),
    provider: f.provider,
    ...(oauth ? { auth: { kind: 'oauth2' as const, signInId } } : {}),
    ...(f.displayName.trim() ? { displayName: f.displayName.trim() } : {}),
    ...(f.timeZone.trim() ? { timeZone: f.timeZone.trim() } : {}),
    smtp: server(f.smtp, !oauth),
    ...(f.readImap ? { imap: server(f.imap, !oauth) } : {}),
  };
}

/** Changed fields of one server; a whole new server (IMAP turned on) when there was none. */
function serverPatch(now: ServerForm, was: ServerForm | null, oauth: boolean) {
  if (!was) return server(now, !oauth);
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
  const oauth = f.signInWith !== null;
  const smtp = serverPatch(f.smtp, saved.smtp, oauth);
  if (smtp) input.smtp = smtp;
  if (!f.readImap) {
    if (saved.readImap) input.imap = null;
  } else {
    const imap = serverPatch(f.imap, saved.readImap ? saved.imap : null, oauth);
    if (imap) input.imap = imap;
  }
  return input;
}
