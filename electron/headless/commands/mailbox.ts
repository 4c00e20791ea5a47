import type { Command } from 'commander';
import { KilnError } from '../../../shared/errors';
import { providers, stageWords, type Provider, type ConnectionTestResult, type ProtocolTestResult, type StageStatus } from '../../../shared/domain/mailbox';
import { fleetStateLabels } from '../../../shared/domain/fleet';
import { localCall, openCore, withDataOptions, type GlobalOpts } from '../context';
import { parsePort } from '../config';
import { oauthProviders } from '../../../shared/domain/oauth';
import { mailProviderOfOAuth } from '../../../shared/domain/oauth-defaults';
import { describeSignIn, oauthProviderOf, signInFromCli } from './oauth-sign-in';

interface AddOpts extends GlobalOpts {
  email: string;
  provider: string;
  name?: string;
  smtpHost?: string;
  smtpPort?: string;
  smtpSecurity?: string;
  smtpUser?: string;
  imapHost?: string;
  imapPort?: string;
  imapSecurity?: string;
  imapUser?: string;
  noImap?: boolean;
  imap?: boolean;
  passwordStdin?: boolean;
  allowInsecure?: boolean;
  timeZone?: string;
  dailyLimit?: string;
  workspace: string;
  oauth?: string;
  oauthApp?: string;
  device?: boolean;
}

/** Passwords never come from argv (visible in `ps`): env vars or stdin only. */
async function passwords(o: AddOpts): Promise<{ smtp: string; imap: string }> {
  let smtp = process.env.KILN_SMTP_PASSWORD;
  let imap = process.env.KILN_IMAP_PASSWORD;
  if (o.passwordStdin) {
    const lines = (await readStdin()).split(/\r?\n/);
    smtp = lines[0] || smtp;
    imap = lines[1] || imap;
  }
  if (!smtp) throw new KilnError('VALIDATION_FAILED', 'no SMTP password: set KILN_SMTP_PASSWORD or pipe it with --password-stdin');
  return { smtp, imap: imap ?? smtp };
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

const optPort = (v: string | undefined) => (v === undefined ? undefined : parsePort(v));

const marks: Record<StageStatus, string> = { passed: '✓', failed: '✗', not_used: '–', not_reached: '–' };

/**
 * One line per stage, in the words the UI uses, with what was asked and answered (or the coded error). A stage
 * that passed without proving everything (an OAuth grant whose scopes a custom provider cannot vouch for) is
 * marked `?` with its verdict's state, never ✓.
 */
export function stageLines(label: string, r: ProtocolTestResult | null): string[] {
  if (!r) return [`${label}: not configured`];
  const lines = [`${label}: ${r.ok ? 'works' : 'failed'} (${Math.round(r.durationMs)} ms)`];
  for (const s of r.stages) {
    const partial = s.status === 'passed' && s.verdict.state !== 'good';
    const said = s.verdict.evidence.map((e) => `${e.asked} → ${e.answered}`).join('; ');
    const why = s.status === 'failed' ? ` — ${r.message ?? ''} (${r.code ?? ''})` : said ? ` — ${said}` : '';
    lines.push(`  ${partial ? '?' : marks[s.status]} ${s.stage}: ${stageWords[s.status]}${partial ? ` (${s.verdict.state})` : ''}${why}`);
  }
  return lines;
}

function printTest(label: string, r: ProtocolTestResult | null): void {
  for (const line of stageLines(label, r)) process.stdout.write(`${line}\n`);
}

export function mailboxCommand(program: Command): void {
  const mb = program.command('mailbox').description('connect and inspect mailboxes');

  withDataOptions(mb.command('add').description('connect a mailbox (passwords from KILN_SMTP_PASSWORD / KILN_IMAP_PASSWORD or --password-stdin)'))
    .requiredOption('--email <address>', 'the mailbox address')
    .option('--provider <name>', `${providers.join(' | ')} (presets fill hosts)`, 'custom')
    .option('--name <display>', 'display name for the From header')
    .option('--smtp-host <host>').option('--smtp-port <n>').option('--smtp-security <mode>', 'tls | starttls | none').option('--smtp-user <user>', 'default: the address')
    .option('--imap-host <host>').option('--imap-port <n>').option('--imap-security <mode>', 'tls | starttls | none').option('--imap-user <user>', 'default: the address')
    .option('--no-imap', 'send-only mailbox (no IMAP feedback)')
    .option('--password-stdin', 'read the SMTP password (line 1) and IMAP password (line 2, default: same) from stdin')
    .option('--allow-insecure', 'permit security "none" to a non-loopback host')
    .option('--time-zone <iana>', 'e.g. Europe/Paris (default UTC)')
    .option('--daily-limit <n>', 'messages per day')
    .option('--workspace <slug>', 'workspace', 'default')
    .option('--oauth <provider>', `sign in with OAuth instead of a password: ${oauthProviders.join(' | ')} (prints the URL to open)`)
    .option('--oauth-app <id>', "the workspace's OAuth app, when it has several of that provider")
    .option('--device', 'with --oauth: the device-code flow (a code to enter at the provider) instead of a browser on this machine')
    .action(async (o: AddOpts) => {
      const oauthProvider = o.oauth === undefined ? null : oauthProviderOf(o.oauth);
      // Only the password path reads passwords; OAuth uses the sign-in's grant.
      const pw = oauthProvider ? { smtp: undefined, imap: undefined } : await passwords(o);
      const server = (host?: string, port?: string, security?: string, user?: string, password?: string) => ({
        host,
        port: optPort(port),
        security: security as 'tls' | 'starttls' | 'none' | undefined,
        user,
        ...(password ? { password } : {}),
      });
      const core = await openCore(o, false);
      try {
        let auth: { kind: 'oauth2'; signInId: string } | undefined;
        if (oauthProvider) {
          const s = await signInFromCli(core, { provider: oauthProvider, appId: o.oauthApp, device: o.device, loginHint: o.email, workspace: o.workspace });
          describeSignIn(s, o.email);
          auth = { kind: 'oauth2', signInId: s.id };
        }
        // With --oauth and no --provider, the mail provider goes with the sign-in (google → gmail presets).
        const provider = (oauthProvider && o.provider === 'custom' ? mailProviderOfOAuth[oauthProvider] : o.provider) as Provider;
        const created = await localCall(
          core,
          'mailboxes.create',
          {
            email: o.email,
            displayName: o.name,
            provider,
            auth,
            smtp: server(o.smtpHost, o.smtpPort, o.smtpSecurity, o.smtpUser, pw.smtp),
            imap: o.imap === false ? undefined : server(o.imapHost, o.imapPort, o.imapSecurity, o.imapUser, pw.imap),
            allowInsecure: o.allowInsecure,
            timeZone: o.timeZone,
            dailyLimit: o.dailyLimit === undefined ? undefined : Number(o.dailyLimit),
          },
          o.workspace,
        );
        process.stdout.write(`${created.id}\t${created.email}\n`);
      } finally {
        await core.close();
      }
    });

  withDataOptions(mb.command('list').description('list mailboxes'))
    .option('--json', 'print JSON')
    .option('--workspace <slug>', 'workspace', 'default')
    .action(async (o: GlobalOpts & { json?: boolean; workspace: string }) => {
      const core = await openCore(o, false);
      try {
        const list = await localCall(core, 'mailboxes.list', {}, o.workspace);
        // The state the Mailboxes screen shows comes from the fleet read, never from mailbox.status alone.
        const fleet = new Map((await localCall(core, 'fleet.get', {}, o.workspace)).mailboxes.map((r) => [r.id, r]));
        const rows = list.map((m) => ({ ...m, state: fleet.get(m.id)?.state ?? null, warmup: fleet.get(m.id)?.warmup ?? null }));
        if (o.json) return void process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
        for (const m of rows) {
          const state = m.state ? fleetStateLabels[m.state] : m.status;
          const err = m.lastError ? `  last error: ${m.lastError.protocol} ${m.lastError.stage} ${m.lastError.code}` : '';
          const why = m.warmup?.reason ? `  warmup: ${m.warmup.reason}` : '';
          process.stdout.write(`${m.id}\t${m.email}\t${m.provider}\t${state}\tsmtp ${m.smtp.host}:${m.smtp.port}/${m.smtp.security}${err}${why}\n`);
        }
      } finally {
        await core.close();
      }
    });

  withDataOptions(mb.command('test').description('test SMTP and IMAP stage by stage').argument('<id-or-email>'))
    .option('--workspace <slug>', 'workspace', 'default')
    .option('--json', 'print JSON')
    .action(async (ref: string, o: GlobalOpts & { workspace: string; json?: boolean }) => {
      const core = await openCore(o, false);
      try {
        const list = await localCall(core, 'mailboxes.list', {}, o.workspace);
        const m = list.find((x) => x.id === ref || x.email === ref.toLowerCase());
        if (!m) throw new KilnError('NOT_FOUND', `No mailbox "${ref}" in workspace ${o.workspace}`);
        const r: ConnectionTestResult = await localCall(core, 'mailboxes.test', { id: m.id }, o.workspace);
        if (o.json) process.stdout.write(`${JSON.stringify(r, null, 2)}\n`);
        else {
          printTest('smtp', r.smtp);
          printTest('imap', r.imap);
        }
        if (!r.smtp.ok || (r.imap && !r.imap.ok)) process.exitCode = 1;
      } finally {
        await core.close();
      }
    });

  withDataOptions(mb.command('reconnect').description('sign an OAuth mailbox in again (after OAUTH_REVOKED); its waiting mail goes').argument('<id-or-email>'))
    .option('--device', 'the device-code flow instead of a browser on this machine')
    .option('--workspace <slug>', 'workspace', 'default')
    .action(async (ref: string, o: GlobalOpts & { workspace: string; device?: boolean }) => {
      const core = await openCore(o, false);
      try {
        const m = (await localCall(core, 'mailboxes.list', {}, o.workspace)).find((x) => x.id === ref || x.email === ref.toLowerCase());
        if (!m) throw new KilnError('NOT_FOUND', `No mailbox "${ref}" in workspace ${o.workspace}`);
        if (m.auth.kind !== 'oauth2') throw new KilnError('VALIDATION_FAILED', `${m.email} signs in with a password, not OAuth: there is no sign-in to renew`);
        const s = await signInFromCli(core, { provider: m.auth.provider, appId: m.auth.appId, device: o.device, mailboxId: m.id, workspace: o.workspace });
        describeSignIn(s, m.email);
        const updated = await localCall(core, 'mailboxes.update', { id: m.id, auth: { kind: 'oauth2', signInId: s.id } }, o.workspace);
        process.stdout.write(`${updated.id}\t${updated.email}\t${updated.status}\n`);
      } finally {
        await core.close();
      }
    });
}
