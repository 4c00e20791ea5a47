import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { addMailHubUser } from '../helpers/mailhub';
import { hubAccount, uniqueUser } from '../helpers/imap';
import { apiClient, createToken, startKiln, tempDataDir, type KilnProcess } from '../helpers/kiln';
import { waitFor } from '../helpers/wait';

// The proof of settled interrupted sends: N messages from a Kiln mailbox through the real hub
// (Postfix submission → Dovecot) to a hub mailbox Kiln can read, with `kiln serve` SIGKILLed
// several times while it sends. In the end every message is in the recipient's Maildir exactly
// once, none was lost, and none that arrived is left failed as SEND_INTERRUPTED.

const hub = inject('mailhub');
// The measurement scale (3,000 sends, 12 kills) runs with KILN_KILL_LOOP_N / _KILLS.
const N = Number(process.env.KILN_KILL_LOOP_N ?? 200);
const KILLS = Number(process.env.KILN_KILL_LOOP_KILLS ?? 5);
const env = { KILN_WARMUP: '0', KILN_SETTLE_GRACE_SECONDS: '3' };
let kiln: KilnProcess | null = null;
afterAll(async () => {
  await kiln?.stop();
});

/** Message-ID → copies, over every folder of a hub user's Maildir (read straight from disk). */
function maildirCopies(address: string): Map<string, number> {
  const [local, domain] = address.split('@');
  const root = path.join(hub.dir, 'mail', domain!, local!, 'Maildir');
  const out = new Map<string, number>();
  if (!fs.existsSync(root)) return out;
  for (const rel of fs.readdirSync(root, { recursive: true }).map(String)) {
    const parent = path.basename(path.dirname(rel));
    if (parent !== 'new' && parent !== 'cur') continue;
    const file = path.join(root, rel);
    let head: string;
    try {
      head = fs.readFileSync(file, 'utf8').split(/\r?\n\r?\n/)[0]!;
    } catch {
      continue; // moved from new/ to cur/ while we looked
    }
    const id = /^Message-ID:\s*(<[^>]+>)/im.exec(head)?.[1];
    if (id) out.set(id, (out.get(id) ?? 0) + 1);
  }
  return out;
}

const total = (m: Map<string, number>) => [...m.values()].reduce((a, b) => a + b, 0);

describe('kill loop against the hub', () => {
  it(`${KILLS} SIGKILLs during ${N} sends to a readable mailbox: each message arrives exactly once, no false failure, none lost`, async () => {
    const sender = uniqueUser('loop-from');
    const rcpt = uniqueUser('loop-to');
    await addMailHubUser(hub, sender.address, sender.password);
    await addMailHubUser(hub, rcpt.address, rcpt.password);
    const dataDir = tempDataDir('kiln-kill-loop');
    kiln = await startKiln({ dataDir, args: ['--ca-file', hub.caCertPath], env });
    const token = await createToken(dataDir, 'admin');
    let api = apiClient(kiln.url, token);
    const from = await api.post('/api/v1/mailboxes', { email: sender.address, provider: 'custom', ...hubAccount(hub, sender) });
    expect(from.status).toBe(201);
    expect((await api.post('/api/v1/mailboxes', { email: rcpt.address, provider: 'custom', ...hubAccount(hub, rcpt) })).status).toBe(201);

    // Queued while paused, so the kills below fall at evenly spaced points of the sending.
    expect((await api.post(`/api/v1/mailboxes/${from.body.data.id}/pause`)).status).toBe(200);
    const sent: { id: string; messageId: string }[] = [];
    for (let i = 0; i < N; i++) {
      const r = await api.post('/api/v1/messages', { mailboxId: from.body.data.id, to: [rcpt.address], subject: `loop ${i}`, text: `message ${i}` });
      expect(r.status).toBe(202);
      sent.push({ id: r.body.data.id, messageId: r.body.data.messageId });
    }
    expect((await api.post(`/api/v1/mailboxes/${from.body.data.id}/resume`)).status).toBe(200);
    // Kill at evenly spaced points of the delivery, as seen in the recipient's Maildir.
    for (let k = 1; k <= KILLS; k++) {
      const mark = Math.floor((k * N) / (KILLS + 1));
      await waitFor(() => total(maildirCopies(rcpt.address)) >= mark, { what: `${mark} messages delivered`, timeoutMs: 30_000, intervalMs: 10 });
      await kiln.kill();
      kiln = await startKiln({ dataDir, args: ['--ca-file', hub.caCertPath], env });
      api = apiClient(kiln.url, token);
    }

    const final = await waitFor(
      async () => {
        const rows = await Promise.all(sent.map(async (s) => (await api.get(`/api/v1/messages/${s.id}`)).body.data));
        return rows.every((m) => m.status === 'sent' || m.status === 'failed') ? rows : undefined;
      },
      { what: 'every message to be sent or failed', timeoutMs: 60_000 + N * 50, intervalMs: 1_000 },
    );
    // Delivery behind Postfix is asynchronous: wait for the Maildir to hold every message Kiln says it sent.
    const delivered = await waitFor(
      () => {
        const copies = maildirCopies(rcpt.address);
        return final.every((m) => m.status !== 'sent' || copies.has(m.messageId)) ? copies : undefined;
      },
      { what: 'every sent message in the Maildir', timeoutMs: 20_000 },
    ).catch(() => maildirCopies(rcpt.address));

    const types = (m: { events: { type: string }[] }) => m.events.map((e) => e.type);
    const interrupted = final.filter((m) => types(m).includes('interrupted'));
    const settled = final.filter((m) => types(m).includes('settled'));
    const resent = final.filter((m) => types(m).includes('resending'));
    const falseFailures = final.filter((m) => m.status === 'failed' && m.lastError?.code === 'SEND_INTERRUPTED' && delivered.has(m.messageId));
    const duplicates = sent.filter((s) => (delivered.get(s.messageId) ?? 0) > 1);
    const lost = final.filter((m) => !delivered.has(m.messageId) && m.status !== 'failed');
    const failed = final.filter((m) => m.status === 'failed');
    console.log(
      `kill-loop: messages=${N} kills=${KILLS} interrupted-at-restart=${interrupted.length} settled-as-found=${settled.length} resent=${resent.length} ` +
        `false-failures=${falseFailures.length} duplicates=${duplicates.length} lost=${lost.length} failed=${failed.length} in-maildir=${delivered.size}`,
    );

    expect(interrupted.length).toBeGreaterThan(0); // the kills did catch sends in flight
    expect(falseFailures).toEqual([]);
    expect(duplicates).toEqual([]);
    expect(lost).toEqual([]);
    // Every message reached the Maildir exactly once: nothing needed a person's decision.
    for (const s of sent) expect(delivered.get(s.messageId), s.messageId).toBe(1);
  }, 150_000 + N * 200);
});
