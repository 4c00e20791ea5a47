// The event stream belongs to one workspace: a token of workspace A never hears what happens in B.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient, createToken, startKiln, type KilnProcess } from '../helpers/kiln';

let kiln: KilnProcess;
let tokenA: string;
let tokenB: string;

beforeAll(async () => {
  kiln = await startKiln({ args: ['--no-feedback'] });
  tokenA = await createToken(kiln.dataDir, 'admin');
  tokenB = await createToken(kiln.dataDir, 'admin', 'client-b');
});
afterAll(async () => {
  await kiln?.stop();
});

/** An open SSE stream whose text so far can be awaited for a marker. */
async function openStream(token: string) {
  const ctrl = new AbortController();
  const res = await fetch(`${kiln.url}/api/v1/events`, { headers: { authorization: `Bearer ${token}` }, signal: ctrl.signal });
  expect(res.headers.get('content-type')).toContain('text/event-stream');
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let text = '';
  return {
    text: () => text,
    /** Read until `marker` appears; resolves with everything received up to and including it. */
    async until(marker: string): Promise<string> {
      while (!text.includes(marker)) {
        const { value, done } = await reader.read();
        if (done) throw new Error(`stream ended before ${marker}`);
        text += decoder.decode(value, { stream: true });
      }
      return text;
    },
    close: () => ctrl.abort(),
  };
}

const mailbox = (email: string) => ({ email, provider: 'custom', smtp: { host: '127.0.0.1', port: 2525, security: 'none', password: 'pw' } });

describe('event stream isolation', () => {
  it("workspace A's stream receives A's events and never B's", async () => {
    const streamA = await openStream(tokenA);
    const streamB = await openStream(tokenB);
    try {
      // B's event first; B's own stream proves it was emitted before A's event is caused.
      const inB = await apiClient(kiln.url, tokenB).post('/api/v1/mailboxes', mailbox('only-b@warm.test'));
      expect(inB.status).toBe(201);
      await streamB.until(inB.body.data.id);

      const inA = await apiClient(kiln.url, tokenA).post('/api/v1/mailboxes', mailbox('only-a@warm.test'));
      expect(inA.status).toBe(201);
      const seenByA = await streamA.until(inA.body.data.id);

      expect(seenByA).toContain('event: mailbox.updated');
      expect(seenByA).not.toContain(inB.body.data.id);
      expect(seenByA).not.toContain('only-b@warm.test');
      expect(streamB.text()).not.toContain(inA.body.data.id);
    } finally {
      streamA.close();
      streamB.close();
    }
  });
});
