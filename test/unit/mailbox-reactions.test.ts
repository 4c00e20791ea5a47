import { afterAll, describe, expect, it } from 'vitest';
import { EventBus } from '../../electron/core/events/bus';
import type { MailboxRow } from '../../electron/core/db/schema';
import type { PushEvent } from '../../shared/api/events';
import { startTestCore, type TestCore } from '../helpers/core';
import { waitFor } from '../helpers/wait';

// Reactions between feature folders go over the bus: mailboxes never call the sending side, and
// the dispatcher never calls mailboxes. These prove the wiring in app.ts carries them.

let k: TestCore | null = null;
afterAll(async () => {
  await k?.core.close(5000);
});

describe('internal bus events', () => {
  it('reach `on` listeners only, never push subscribers (SSE, webhooks, the window)', () => {
    const bus = new EventBus();
    const pushed: PushEvent[] = [];
    const heard: string[] = [];
    bus.subscribe((e) => pushed.push(e));
    const off = bus.on('mailbox.sendingChanged', (e) => heard.push(`${e.mailboxId}:${e.change}`));
    bus.tell('mailbox.sendingChanged', { mailboxId: 'mbx_1', change: 'paused' });
    off();
    bus.tell('mailbox.sendingChanged', { mailboxId: 'mbx_1', change: 'resumed' });
    expect(heard).toEqual(['mbx_1:paused']);
    expect(pushed).toEqual([]);
  });

  it('a mailbox edit, pause or delete closes its SMTP transport; a resume leaves it; a blamed send marks the mailbox', async () => {
    k = await startTestCore();
    const s = k.core.services;
    await s.feedback?.stop(); // SMTP-only mailbox: nothing to watch
    const smtp = { host: '127.0.0.1', port: 9, security: 'none' as const, user: 'u', password: 'p' };
    const { id } = await k.call('mailboxes.create', { email: 'react@warm.test', smtp });
    const row = () => s.db.sqlite.prepare('SELECT * FROM mailboxes WHERE id = ?').get(id) as MailboxRow;
    const open = async () => {
      await s.transports.get(row());
      expect(s.transports.size).toBe(1);
    };

    await open();
    await k.call('mailboxes.update', { id, displayName: 'Renamed' });
    expect(s.transports.size).toBe(0);

    await open();
    await k.call('mailboxes.pause', { id });
    expect(s.transports.size).toBe(0);

    await open();
    await k.call('mailboxes.resume', { id });
    expect(s.transports.size).toBe(1);

    // What the dispatcher's send effects tell when a send proves the mailbox unusable.
    s.bus.tell('send.blamedMailbox', { mailbox: row(), error: { protocol: 'smtp', stage: 'auth', code: 'SMTP_AUTH_FAILED', message: 'bad login' }, action: 'error' });
    const marked = await waitFor(async () => {
      const mb = await k!.call('mailboxes.get', { id });
      return mb.status === 'error' ? mb : null;
    }, { what: 'the blamed mailbox in error' });
    expect(marked.lastError).toMatchObject({ code: 'SMTP_AUTH_FAILED' });
    expect(s.transports.size).toBe(0);

    await open();
    await k.call('mailboxes.delete', { id });
    expect(s.transports.size).toBe(0);
  });
});
