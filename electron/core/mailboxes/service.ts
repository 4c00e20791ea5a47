import type { ParsedInput } from '../../../shared/api/table';
import type { ConnectionTestResult, Mailbox, MailboxError } from '../../../shared/domain/mailbox';
import { KilnError } from '../../../shared/errors';
import type { MailboxRow, MailboxUpdate } from '../db/schema';
import type { Db } from '../db/connection';
import type { Clock } from '../clock';
import type { SecretStore } from '../secrets/secret-store';
import type { EventBus } from '../events/bus';
import type { Logger } from '../log';
import type { DnsResolver } from '../checks/resolver';
import type { MessageService } from '../messages/service';
import type { WarmupService } from '../warmup/service';
import type { AlertService } from '../alerts/service';
import type { OAuthAppService } from '../oauth/service';
import type { SignInService } from '../oauth/sign-ins/service';
import { planAuth, signInRevokedKey, type PlannedAuth } from './auth';
import { newId } from '../util/ids';
import { iso } from '../util/time';
import { testImap, testSmtp } from '../mail/connection-test';
import type { TokenProbe, TokenProbeOf } from '../mail/credential';
import { mailboxRepository, toMailbox } from './repository';
import { assertTransportAllowed, resolveEndpoint } from './validate';
import { mailboxSecretRef } from '../secrets/secret-store';
import { clearedBy, lookupVia, testFailure } from './test-outcome';

/** What the mailbox service uses. The sending side hears of changes on the bus (`mailbox.sendingChanged`). */
export interface MailboxServiceNeeds {
  db: Db;
  clock: Clock;
  secrets: SecretStore;
  bus: EventBus;
  log: Logger;
  dns: DnsResolver;
  config: { ca?: string[] };
  secretOf(ref: string): Promise<string>;
  messages: Pick<MessageService, 'failQueuedForMailbox' | 'retryNowForMailbox'>;
  warmup: Pick<WarmupService, 'mailboxPaused'>;
  alerts: Pick<AlertService, 'raise' | 'resolve'>;
  oauthApps: Pick<OAuthAppService, 'pick'>;
  signIns: Pick<SignInService, 'take'>;
  /** An OAuth mailbox's token side for the connection test's `oauth` stage (oauth/credentials.ts). */
  tokenProbeOf: TokenProbeOf<MailboxRow>;
}

export function mailboxService(deps: MailboxServiceNeeds) {
  const repo = mailboxRepository(deps.db.kysely);
  const { clock, secrets, bus } = deps;

  async function mustGet(workspaceId: string, id: string): Promise<MailboxRow> {
    const row = await repo.get(workspaceId, id);
    if (!row) throw new KilnError('NOT_FOUND', `No mailbox ${id} in this workspace`);
    return row;
  }

  function changed(row: MailboxRow): Mailbox {
    const mb = toMailbox(row);
    bus.emit(row.workspace_id, 'mailbox.updated', mb);
    return mb;
  }

  /** The one way a mailbox-level failure is recorded (a send's, or a connection test's): status error + lastError. */
  async function markError(row: MailboxRow, err: Omit<MailboxError, 'at'>): Promise<void> {
    const updated = await repo.update(row.workspace_id, row.id, {
      status: 'error',
      last_error: JSON.stringify({ ...err, at: iso(clock.now()) }),
      updated_at: clock.now(),
    });
    bus.tell('mailbox.sendingChanged', { mailboxId: row.id, change: 'error' });
    if (updated) changed(updated);
  }

  /** A problem to show without changing the sending state (a 5.7.x rejection, a paused mailbox's failed test). */
  async function flag(row: MailboxRow, err: Omit<MailboxError, 'at'>): Promise<void> {
    const updated = await repo.update(row.workspace_id, row.id, {
      last_error: JSON.stringify({ ...err, at: iso(clock.now()) }),
      updated_at: clock.now(),
    });
    if (updated) changed(updated);
  }

  /** A passing connection test: the error it proved gone is cleared, and a mailbox in error sends again. */
  async function clearError(row: MailboxRow): Promise<void> {
    const patch: MailboxUpdate = { last_error: null, updated_at: clock.now() };
    if (row.status === 'error') patch.status = 'active';
    const updated = await repo.update(row.workspace_id, row.id, patch);
    if (!updated) return;
    bus.tell('mailbox.sendingChanged', { mailboxId: row.id, change: 'cleared' });
    changed(updated);
  }

  /** Records what a finished test says about the mailbox, on its row as it is now (a test takes seconds). */
  async function recordTest(workspaceId: string, id: string, result: ConnectionTestResult): Promise<void> {
    const row = await repo.get(workspaceId, id);
    if (!row) return;
    const failed = testFailure(result);
    if (failed) {
      deps.log.info({ mailboxId: id, protocol: failed.protocol, stage: failed.stage, code: failed.code }, 'connection test failed');
      // A paused mailbox keeps its pause: a later passing test must not resume what a person paused.
      // An IMAP failure stops the feedback loop, not sending: shown as the watcher shows it (a flag).
      await (row.status === 'paused' || failed.protocol === 'imap' ? flag(row, failed) : markError(row, failed));
    } else if (clearedBy(result, toMailbox(row).lastError)) {
      await clearError(row);
    }
  }

  // A send outcome that blames the sender (sending/effects.ts) is recorded here, like a failed test.
  bus.on('send.blamedMailbox', ({ mailbox, error, action }) => void (action === 'error' ? markError(mailbox, error) : flag(mailbox, error)));

  // No access token (oauth/credentials.ts, SMTP or IMAP). Transient trouble is shown and retried with
  // backoff; a revoked grant stops the mailbox and says it needs a new sign-in.
  bus.on('mailbox.oauthFailed', ({ mailbox, protocol, code, message }) => {
    if (code === 'OAUTH_REFRESH_FAILED') return void flag(mailbox, { protocol, stage: 'auth', code, message });
    void markError(mailbox, { protocol, stage: 'auth', code, message });
    deps.alerts.raise(mailbox.workspace_id, {
      kind: 'mailbox.signInRevoked',
      severity: 'critical',
      key: signInRevokedKey(mailbox.id),
      title: `${mailbox.email}: sign-in revoked, mail is waiting`,
      detail: `${message}. Sign in again (Reconnect) to resume sending and watching; queued mail waits.`,
      mailboxId: mailbox.id,
    });
  });

  /** `update` once its sign-in change is planned (a sign-in's grant taken but nothing stored yet). */
  async function applyUpdate(workspaceId: string, row: MailboxRow, input: ParsedInput<'mailboxes.update'>, plan: PlannedAuth | null): Promise<Mailbox> {
    const current = toMailbox(row);
    const allowInsecure = input.allowInsecure ?? current.allowInsecure;
    const provider = current.provider;
    const patch: MailboxUpdate = { updated_at: clock.now(), allow_insecure: allowInsecure ? 1 : 0 };
    if (input.displayName !== undefined) patch.display_name = input.displayName;
    if (input.timeZone !== undefined) patch.time_zone = input.timeZone;
    if (input.dailyLimit !== undefined) patch.daily_limit = input.dailyLimit;

    const smtp = resolveEndpoint(provider, 'smtp', { ...current.smtp, ...stripUndefined(input.smtp ?? {}) });
    assertTransportAllowed('smtp', smtp, allowInsecure);
    Object.assign(patch, { smtp_host: smtp.host, smtp_port: smtp.port, smtp_security: smtp.security });
    if (input.smtp?.user) patch.smtp_user = input.smtp.user;

    const auth = plan?.columns ?? null;
    const oauth = (auth?.auth_kind ?? row.auth_kind) === 'oauth2';
    if (auth?.auth_kind === 'password' && (!input.smtp?.password || ((input.imap ?? current.imap) && !input.imap?.password))) {
      throw new KilnError('VALIDATION_FAILED', 'Switching to a password needs the SMTP (and IMAP) password', {
        fields: [{ path: input.smtp?.password ? 'imap.password' : 'smtp.password', message: 'required' }],
      });
    }
    if (auth) Object.assign(patch, auth);

    if (input.imap === null) {
      Object.assign(patch, { imap_host: null, imap_port: null, imap_security: null, imap_user: null, imap_secret_ref: null });
    } else if (input.imap) {
      if (!current.imap && !input.imap.password && !oauth) {
        throw new KilnError('VALIDATION_FAILED', 'imap: password required to add IMAP settings', {
          fields: [{ path: 'imap.password', message: 'required' }],
        });
      }
      const imap = resolveEndpoint(provider, 'imap', { ...(current.imap ?? {}), ...stripUndefined(input.imap) });
      assertTransportAllowed('imap', imap, allowInsecure);
      Object.assign(patch, {
        imap_host: imap.host,
        imap_port: imap.port,
        imap_security: imap.security,
        imap_user: input.imap.user ?? current.imap?.user ?? current.email,
        imap_secret_ref: mailboxSecretRef(row.id, 'imap'),
      });
    } else if (current.imap) {
      assertTransportAllowed('imap', current.imap, allowInsecure);
    }

    // Everything above validated: only now does a refresh token reach the secret store.
    await plan?.store();
    if (input.smtp?.password && !oauth) await secrets.set(mailboxSecretRef(row.id, 'smtp'), input.smtp.password);
    if (input.imap?.password && !oauth) await secrets.set(mailboxSecretRef(row.id, 'imap'), input.imap.password);
    if (input.imap === null) await secrets.delete(mailboxSecretRef(row.id, 'imap'));
    if (auth?.auth_kind === 'oauth2' && row.auth_kind === 'password') {
      // Passwords of a mailbox that now signs in with OAuth are not kept.
      await secrets.delete(mailboxSecretRef(row.id, 'smtp'));
      await secrets.delete(mailboxSecretRef(row.id, 'imap'));
    }
    if (auth) deps.alerts.resolve(workspaceId, signInRevokedKey(row.id));
    // New settings or credentials deserve a fresh chance: the error is cleared, a pause is kept.
    if (input.smtp || input.imap !== undefined || input.auth) patch.last_error = null;
    if (row.status === 'error') Object.assign(patch, { status: 'active', last_error: null });

    const updated = await repo.update(workspaceId, row.id, patch);
    if (!updated) throw new KilnError('NOT_FOUND', `No mailbox ${row.id} in this workspace`);
    // The replaced grant (password now, or a new sign-in) goes once nothing points at it.
    if (auth && row.oauth_secret_ref && row.oauth_secret_ref !== auth.oauth_secret_ref) await secrets.delete(row.oauth_secret_ref).catch(() => {});
    // A new sign-in: mail that waited out the revoked grant goes now, not at its next retry.
    if (auth?.auth_kind === 'oauth2') await deps.messages.retryNowForMailbox(row.id);
    bus.tell('mailbox.sendingChanged', { mailboxId: row.id, change: 'settings' });
    return changed(updated);
  }

  return {
    get: async (workspaceId: string, id: string) => toMailbox(await mustGet(workspaceId, id)),
    list: async (workspaceId: string, status?: Mailbox['status']) => (await repo.list(workspaceId, status)).map(toMailbox),

    async create(workspaceId: string, input: ParsedInput<'mailboxes.create'>): Promise<Mailbox> {
      const allowInsecure = input.allowInsecure ?? false;
      const smtp = resolveEndpoint(input.provider, 'smtp', input.smtp);
      assertTransportAllowed('smtp', smtp, allowInsecure);
      const imap = input.imap ? resolveEndpoint(input.provider, 'imap', input.imap) : null;
      if (imap) assertTransportAllowed('imap', imap, allowInsecure);
      if (await repo.byEmail(workspaceId, input.email)) {
        throw new KilnError('CONFLICT', `Mailbox ${input.email} is already connected in this workspace`);
      }
      const id = newId('mbx');
      const now = clock.now();
      const plan = await planAuth(deps, workspaceId, id, input.auth, false);
      const auth = plan.columns;
      try {
        // Secrets first: a row never points at a secret that was not stored.
        await plan.store();
        if (auth.auth_kind === 'password') {
          await secrets.set(mailboxSecretRef(id, 'smtp'), input.smtp.password!);
          if (input.imap) await secrets.set(mailboxSecretRef(id, 'imap'), input.imap.password!);
        }
        const row = await repo.insert({
          id,
          workspace_id: workspaceId,
          email: input.email,
          display_name: input.displayName ?? null,
          provider: input.provider,
          smtp_host: smtp.host,
          smtp_port: smtp.port,
          smtp_security: smtp.security,
          smtp_user: input.smtp.user ?? input.email,
          smtp_secret_ref: mailboxSecretRef(id, 'smtp'),
          imap_host: imap?.host ?? null,
          imap_port: imap?.port ?? null,
          imap_security: imap?.security ?? null,
          imap_user: imap ? (input.imap?.user ?? input.email) : null,
          imap_secret_ref: imap ? mailboxSecretRef(id, 'imap') : null,
          allow_insecure: allowInsecure ? 1 : 0,
          status: 'active',
          last_error: null,
          time_zone: input.timeZone ?? 'UTC',
          daily_limit: input.dailyLimit ?? null,
          created_at: now,
          updated_at: now,
          deleted_at: null,
          ...auth,
        });
        deps.log.info({ mailboxId: id, workspaceId }, 'mailbox created');
        return changed(row);
      } catch (e) {
        await secrets.delete(mailboxSecretRef(id, 'smtp')).catch(() => {});
        await secrets.delete(mailboxSecretRef(id, 'imap')).catch(() => {});
        if (auth.oauth_secret_ref) await secrets.delete(auth.oauth_secret_ref).catch(() => {});
        plan.undo();
        throw e;
      }
    },

    async update(workspaceId: string, input: ParsedInput<'mailboxes.update'>): Promise<Mailbox> {
      const row = await mustGet(workspaceId, input.id);
      // Switching how it signs in keeps the mailbox (history, warmup, settings); only credentials change.
      const plan = input.auth ? await planAuth(deps, workspaceId, row.id, input.auth, true) : null;
      try {
        return await applyUpdate(workspaceId, row, input, plan);
      } catch (e) {
        plan?.undo();
        throw e;
      }
    },

    async setPaused(workspaceId: string, id: string, paused: boolean): Promise<Mailbox> {
      const row = await mustGet(workspaceId, id);
      if (paused && row.status === 'paused') return toMailbox(row);
      if (!paused && row.status !== 'paused') return toMailbox(row);
      const updated = await repo.update(workspaceId, id, { status: paused ? 'paused' : 'active', updated_at: clock.now() });
      if (!updated) throw new KilnError('NOT_FOUND', `No mailbox ${id} in this workspace`);
      bus.tell('mailbox.sendingChanged', { mailboxId: id, change: paused ? 'paused' : 'resumed' });
      // Hold or release the day's warmup mail now, so the day plan agrees with the mailbox at once.
      await deps.warmup.mailboxPaused(id);
      return changed(updated);
    },

    async remove(workspaceId: string, id: string): Promise<{ id: string; deleted: true }> {
      const row = await mustGet(workspaceId, id);
      const now = clock.now();
      await repo.update(workspaceId, id, { deleted_at: now, status: 'paused', updated_at: now });
      // Closes the transport and commits the dispatcher's journal first: messages already on the wire are `sending`, not queued.
      bus.tell('mailbox.sendingChanged', { mailboxId: id, change: 'deleted' });
      await deps.messages.failQueuedForMailbox(id, {
        code: 'MAILBOX_DELETED',
        stage: 'send',
        kind: 'permanent',
        message: 'The sending mailbox was deleted before this message went out',
      });
      await secrets.delete(row.smtp_secret_ref);
      if (row.imap_secret_ref) await secrets.delete(row.imap_secret_ref);
      if (row.oauth_secret_ref) await secrets.delete(row.oauth_secret_ref);
      bus.emit(workspaceId, 'mailbox.deleted', { id });
      return { id, deleted: true };
    },

    /** Reports each stage; a failure is recorded on the mailbox as a failed send is, and a pass clears it. */
    async test(workspaceId: string, id: string): Promise<ConnectionTestResult> {
      const row = await mustGet(workspaceId, id);
      const mb = toMailbox(row);
      // Progress goes out as events, so the UI ticks each stage off as it passes.
      const opts = (protocol: 'smtp' | 'imap') => ({
        ca: deps.config.ca,
        lookup: lookupVia(deps.dns),
        now: () => clock.now(),
        onStage: (running: string | null, passed: readonly string[], notUsed: readonly string[]) =>
          bus.emit(workspaceId, 'mailbox.testProgress', { id, protocol, running, passed: [...passed], notUsed: [...notUsed] }),
      });
      // An OAuth mailbox's test begins with the `oauth` stage (a token refreshed now, its scopes checked).
      const signIn = async (protocol: 'smtp' | 'imap', ref: string): Promise<{ password: string } | { oauth: TokenProbe }> =>
        row.auth_kind === 'oauth2' ? { oauth: deps.tokenProbeOf(row, protocol) } : { password: await deps.secretOf(ref) };
      const smtp = await testSmtp({ ...mb.smtp, ...(await signIn('smtp', row.smtp_secret_ref)) }, opts('smtp'));
      let imap = null;
      if (mb.imap && row.imap_secret_ref) {
        imap = await testImap({ ...mb.imap, ...(await signIn('imap', row.imap_secret_ref)) }, opts('imap'));
      }
      const result = { smtp, imap };
      await recordTest(workspaceId, id, result);
      return result;
    },

    /** Record a mailbox-level failure seen while sending (auth, TLS, DNS...). */
    markError,
    /** A sender-side rejection (5.7.x): keep sending state, but show the problem on the mailbox. */
    flag,
  };
}
export type MailboxService = ReturnType<typeof mailboxService>;

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
