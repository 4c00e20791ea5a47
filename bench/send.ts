import nodemailer from 'nodemailer';
import pino from 'pino';
import { createCore } from '../electron/core/app';
import type { Core, CoreOptions } from '../electron/core/types';
import { smtpOptions } from '../electron/core/sending/transports';
import type { MailboxRow } from '../electron/core/db/schema';
import { passwordCredential } from '../electron/core/mail/credential';
import { tempDir } from './util';

export const BODY = `${'Warmup benchmark body line with ordinary words. '.repeat(40)}\n`; // ~2 KB, like real warmup mail

/** (a) Kiln's send path: N messages already queued in SQLite → leased → rendered → SMTP → recorded. */
export async function kilnSend(
  port: number,
  n: number,
  hooks: { beforeDispatch?(): Promise<void>; afterDispatch?(): Promise<void>; options?: Partial<CoreOptions>; setup?(core: Core): Promise<void> } = {},
): Promise<{ rate: number; enqueueRate: number }> {
  const core = await createCore({ dataDir: tempDir('kiln-bench-send'), logger: pino({ level: 'warn' }), ...hooks.options });
  await hooks.setup?.(core);
  const ctx = { workspaceId: core.defaultWorkspaceId, scopes: ['admin'] as const };
  const call = async (method: Parameters<typeof core.call>[0], input: unknown) => {
    const r = await core.call(method, input, { ...ctx, scopes: [...ctx.scopes] });
    if (!r.ok) throw new Error(`${method}: ${r.error.code} ${r.error.message}`);
    return r.data as { id: string; status: string };
  };
  const mb = await call('mailboxes.create', { email: 'bench@kiln.test', provider: 'custom', smtp: { host: '127.0.0.1', port, security: 'none', password: 'unused' } });
  await call('mailboxes.pause', { id: mb.id });
  const t0 = performance.now();
  for (let i = 0; i < n; i++) await call('messages.send', { mailboxId: mb.id, to: ['sink@kiln.test'], subject: `Benchmark ${i}`, text: BODY });
  const enqueueRate = n / ((performance.now() - t0) / 1000);

  let sent = 0;
  const done = new Promise<void>((resolve) =>
    core.subscribe((e) => {
      if (e.name === 'message.updated' && (e.data as { status: string }).status === 'sent' && ++sent === n) resolve();
    }),
  );
  await hooks.beforeDispatch?.();
  const t1 = performance.now();
  await call('mailboxes.resume', { id: mb.id });
  await done;
  await hooks.afterDispatch?.();
  const rate = n / ((performance.now() - t1) / 1000);
  const stats = core.services.db.sqlite.prepare("SELECT count(*) AS n FROM messages WHERE status = 'sent'").get() as { n: number };
  if (stats.n !== n) throw new Error(`expected ${n} sent, found ${stats.n}`);
  await core.close();
  return { rate, enqueueRate };
}

/**
 * (b) The same messages through a bare pooled nodemailer transport with the same options, fed the
 * way it runs fastest: one message waiting in the pool per connection (10,000 queued at once is
 * ~3x slower, as the pool re-scans its queue).
 */
export async function bareNodemailer(port: number, n: number, connections = 1): Promise<number> {
  const row = { smtp_host: '127.0.0.1', smtp_port: port, smtp_security: 'none', smtp_user: 'bench@kiln.test' } as MailboxRow;
  const transport = nodemailer.createTransport(smtpOptions(row, passwordCredential('unused'), { maxConnections: connections }));
  let next = 0;
  const t0 = performance.now();
  const worker = async () => {
    while (next < n) {
      const i = next++;
      await transport.sendMail({ from: 'bench@kiln.test', to: 'sink@kiln.test', subject: `Benchmark ${i}`, text: BODY, messageId: `<${i}.${Date.now()}@kiln.test>` });
    }
  };
  await Promise.all(Array.from({ length: connections * 2 }, worker));
  const rate = n / ((performance.now() - t0) / 1000);
  transport.close();
  return rate;
}
