import { afterAll, describe, expect, inject, it } from 'vitest';
import pino from 'pino';
import { createCore, type CoreInternals } from '../../electron/core/app';
import type { PushEvent } from '../../shared/api/events';
import { addMailHubUser } from '../helpers/mailhub';
import { apiClient, createToken, kilnCli, startKiln, type KilnProcess } from '../helpers/kiln';
import { startTestCore, type TestCore } from '../helpers/core';
import { startDnsServer, type TestDnsServer } from '../helpers/dns-server';
import { hubAccount, uniqueUser } from '../helpers/imap';
import { waitFor } from '../helpers/wait';

// Mailboxes changed by another process on the same data folder (the CLI next to `kiln serve`):
// the running server must hear of them without a restart.

const hub = inject('mailhub');
let kiln: KilnProcess | null = null;
let dns: TestDnsServer | null = null;
let server: TestCore | null = null;
let other: CoreInternals | null = null;
afterAll(async () => {
  await kiln?.stop();
  await dns?.close();
  await other?.close();
  await server?.core.close(5000);
});

describe('mailboxes changed by another process', () => {
  it('kiln serve watches a mailbox that `kiln mailbox add` connected while it ran: mail to it is placed', async () => {
    const sender = uniqueUser('outside-s');
    const receiver = uniqueUser('outside-r');
    await addMailHubUser(hub, sender.address, sender.password);
    await addMailHubUser(hub, receiver.address, receiver.password);
    dns = await startDnsServer({});
    kiln = await startKiln({ args: ['--ca-file', hub.caCertPath, '--dns-servers', dns.server, '--no-warmup'] });
    const api = apiClient(kiln.url, await createToken(kiln.dataDir, 'admin'));
    const created = await api.post('/api/v1/mailboxes', { email: sender.address, provider: 'custom', ...hubAccount(hub, sender) });
    expect(created.status).toBe(201);

    // A second process adds the receiving mailbox (with IMAP) to the folder the server runs on.
    const add = await kilnCli(
      ['mailbox', 'add', '--data', kiln.dataDir, '--email', receiver.address, '--smtp-host', '127.0.0.1', '--smtp-port', String(hub.ports.submission),
        '--smtp-security', 'starttls', '--imap-host', '127.0.0.1', '--imap-port', String(hub.ports.imap), '--imap-security', 'starttls', '--password-stdin'],
      { input: `${receiver.password}\n` },
    );
    expect(add.code, add.stderr).toBe(0);

    const sent = await api.post('/api/v1/messages', { mailboxId: created.body.data.id, to: [receiver.address], subject: 'Added from the CLI', text: 'Do you see me?' });
    expect(sent.status).toBe(202);
    const placed = await waitFor(
      async () => (await api.get(`/api/v1/messages/${sent.body.data.id}`)).body.data.placements.find((p: { recipient: string; placement: string }) => p.recipient === receiver.address && p.placement === 'inbox'),
      { timeoutMs: 25_000, what: 'the server to watch the CLI-added mailbox and place the message' },
    );
    expect(placed.placement).toBe('inbox');
  }, 60_000);

  it('adds, edits, pauses and deletes made by another process reach the server\'s event bus once each; its own changes are not repeated', async () => {
    server = await startTestCore({ warmup: false });
    await server.core.services.feedback?.stop(); // SMTP-only mailboxes here; nothing to watch
    const events: PushEvent[] = [];
    server.core.subscribe((e) => events.push(e));
    // A second connection to the same data folder, as a CLI command opens it.
    other = await createCore({ dataDir: server.dataDir, dispatch: false, feedback: false, logger: pino({ level: 'silent' }) });
    const call = async (method: string, input: object) => {
      const r = await other!.call(method as never, input as never, { workspaceId: other!.defaultWorkspaceId, scopes: ['admin'], owner: true });
      if (!r.ok) throw new Error(r.error.message);
      return r.data as { id: string };
    };
    const of = (name: string, id: string) => events.filter((e) => e.name === name && (e.data as { id: string }).id === id);
    const smtp = { host: '127.0.0.1', port: 9, security: 'none' as const, user: 'u', password: 'p' };

    const { id } = await call('mailboxes.create', { email: 'outside@warm.test', smtp });
    const added = await waitFor(() => of('mailbox.updated', id)[0], { what: 'the added mailbox announced' });
    expect(added).toMatchObject({ workspaceId: server.core.defaultWorkspaceId, data: { email: 'outside@warm.test', status: 'active' } });

    await call('mailboxes.update', { id, displayName: 'Renamed outside' });
    await waitFor(() => of('mailbox.updated', id).find((e) => (e.data as { displayName: string | null }).displayName === 'Renamed outside'), { what: 'the edit announced' });
    await call('mailboxes.pause', { id });
    await waitFor(() => of('mailbox.updated', id).find((e) => (e.data as { status: string }).status === 'paused'), { what: 'the pause announced' });
    await call('mailboxes.delete', { id });
    await waitFor(() => of('mailbox.deleted', id).length === 1, { what: 'the deletion announced' });
    expect(of('mailbox.updated', id)).toHaveLength(3);

    // The server's own change is announced by the server, once; the next outside change does not repeat it.
    const own = await server.call('mailboxes.create', { email: 'inside@warm.test', smtp });
    const { id: later } = await call('mailboxes.create', { email: 'later@warm.test', smtp });
    await waitFor(() => of('mailbox.updated', later)[0], { what: 'the later outside add announced' });
    expect(of('mailbox.updated', own.id)).toHaveLength(1);
    expect(of('mailbox.deleted', id)).toHaveLength(1);
  });
});
