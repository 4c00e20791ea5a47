import { describe, expect, it } from 'vitest';
import { startTestCore } from '../helpers/core';
import { workspaceRepository } from '../../electron/core/workspaces/repository';

describe('workspace isolation', () => {
  it('no read or write crosses workspaces', async () => {
    const k = await startTestCore();
    await k.core.services.dispatcher?.stop();
    const other = await workspaceRepository(k.core.services.db.kysely).create('client-b', 'Client B', k.clock.now());
    const b = { workspaceId: other.id, scopes: ['admin'] as const };
    const mbA = await k.call('mailboxes.create', { email: 'a@loop.test', provider: 'custom', smtp: { host: '127.0.0.1', port: 9, security: 'none', password: 'pw' } });
    const msgA = await k.call('messages.send', { mailboxId: mbA.id, to: ['x@loop.test'], subject: 's', text: 't' });

    expect(await k.call('mailboxes.list', {}, b)).toEqual([]);
    await expect(k.call('mailboxes.get', { id: mbA.id }, b)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(k.call('mailboxes.update', { id: mbA.id, displayName: 'hijack' }, b)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(k.call('mailboxes.delete', { id: mbA.id }, b)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(k.call('messages.get', { id: msgA.id }, b)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect((await k.call('messages.list', {}, b)).items).toEqual([]);
    // Sending from another workspace's mailbox is impossible.
    await expect(k.call('messages.send', { mailboxId: mbA.id, to: ['x@loop.test'], subject: 's', text: 't' }, b)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    // The same idempotency key is independent per workspace.
    const mbB = await k.call('mailboxes.create', { email: 'a@loop.test', provider: 'custom', smtp: { host: '127.0.0.1', port: 9, security: 'none', password: 'pw' } }, b);
    const k1 = await k.call('messages.send', { mailboxId: mbA.id, to: ['x@loop.test'], subject: 's', text: 't', idempotencyKey: 'same' });
    const k2 = await k.call('messages.send', { mailboxId: mbB.id, to: ['x@loop.test'], subject: 's', text: 't', idempotencyKey: 'same' }, b);
    expect(k1.id).not.toBe(k2.id);
    expect((await k.call('mailboxes.get', { id: mbA.id })).displayName).toBeNull();
    await k.core.close();
  });
});
