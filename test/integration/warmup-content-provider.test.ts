import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { isKilnError } from '../../shared/errors';
import { corpusProvider, openAiProvider, withFallback, type ContentRequest } from '../../electron/core/warmup/content';

// A real OpenAI-compatible endpoint on 127.0.0.1: the path picks its behaviour, so each test points
// the provider at `${base}/<mode>/v1`. Assertions are about which provider answered, never how fast.

const KEY = 'sk-test-7f3a9c1e5b2d4f6a8c0e';
const GOOD = { subject: 'Notes from Tuesday', body: 'Hi Tom,\n\nI wrote up the notes from our meeting and left them in the shared folder. Let me know if I missed anything.\n\nBest,\nAnna' };

interface Seen {
  path: string;
  authorization: string | undefined;
  body: { model?: string; messages?: { role: string; content: string }[]; temperature?: number };
  closed: boolean;
}

let server: Server;
let base: string;
const seen: Seen[] = [];

const completion = (content: string) => JSON.stringify({ id: 'chatcmpl-1', object: 'chat.completion', choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }] });

async function handle(req: IncomingMessage, res: ServerResponse) {
  let raw = '';
  for await (const chunk of req) raw += String(chunk);
  const entry: Seen = { path: req.url ?? '', authorization: req.headers.authorization, body: JSON.parse(raw || '{}') as Seen['body'], closed: false };
  seen.push(entry);
  res.on('close', () => (entry.closed = true));
  const mode = (req.url ?? '').split('/')[1];
  const json = (status: number, body: string) => res.writeHead(status, { 'content-type': 'application/json' }).end(body);
  switch (mode) {
    case 'ok':
      return json(200, completion(`Here you go:\n\`\`\`json\n${JSON.stringify(GOOD)}\n\`\`\``));
    case 'fail':
      // Echoes the credentials, as a badly behaved gateway might: they must still not reach our error.
      return json(500, JSON.stringify({ error: { message: `internal error for ${req.headers.authorization}` } }));
    case 'link':
      return json(200, completion(JSON.stringify({ subject: 'Take a look', body: 'Hi Tom,\n\nThe new page is up at https://northwind.test/notes, have a look when you can.\n\nBest,\nAnna' })));
    case 'badjson':
      return json(200, completion('Sure! Subject: hello. Body: how are you?'));
    case 'hang':
      return; // never answers: only the client giving up ends this request
    default:
      return json(404, '{}');
  }
}

beforeAll(async () => {
  server = createServer((req, res) => void handle(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});
beforeEach(() => {
  seen.length = 0;
});

const req: ContentRequest = {
  kind: 'warmup',
  seed: 'msg_integration_1',
  from: { address: 'anna.kowalska@northwind.test', name: 'Anna Kowalska' },
  to: { address: 'tom.baker@harbourlane.test', name: 'Tom Baker' },
  at: Date.UTC(2026, 2, 3, 10),
  timeZone: 'Europe/London',
};
const corpus = corpusProvider();
const llm = (mode: string, timeoutMs = 10_000) => openAiProvider({ url: `${base}/${mode}/v1/`, model: 'test-model', apiKey: KEY, timeoutMs });

function withReasons(mode: string, timeoutMs = 10_000) {
  const reasons: string[] = [];
  const provider = withFallback(llm(mode, 20_000), corpus, { timeoutMs, onFallback: (r) => reasons.push(r) });
  return { provider, reasons };
}

async function thrown(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected a rejection');
}

describe('OpenAI-compatible content provider', () => {
  it('asks the chat-completions endpoint with the key and uses its email', async () => {
    const { provider, reasons } = withReasons('ok');
    const c = await provider.generate(req);
    expect(c).toEqual({ subject: GOOD.subject, text: `${GOOD.body}\n` });
    expect(reasons).toEqual([]);
    expect(seen).toHaveLength(1);
    expect(seen[0]!.path).toBe('/ok/v1/chat/completions');
    expect(seen[0]!.authorization).toBe(`Bearer ${KEY}`);
    expect(seen[0]!.body.model).toBe('test-model');
    expect(typeof seen[0]!.body.temperature).toBe('number');
    expect(seen[0]!.body.messages?.map((m) => m.role)).toEqual(['system', 'user']);
    expect(JSON.stringify(seen[0]!.body)).not.toContain(KEY);
  });

  it('sends no Authorization header without a key', async () => {
    await openAiProvider({ url: `${base}/ok/v1`, model: 'm', apiKey: null }).generate(req);
    expect(seen[0]!.authorization).toBeUndefined();
  });

  it('threads an LLM reply itself: Re: subject and the original quoted', async () => {
    const original = { subject: 'Re: Project timeline', text: 'Hi Tom,\n\nWe are on track.\n\nAnna\n', from: 'Anna <anna.kowalska@northwind.test>', sentAt: Date.UTC(2026, 2, 3, 9) };
    const c = await llm('ok').generate({ ...req, kind: 'reply', original });
    expect(c.subject).toBe('Re: Project timeline');
    expect(c.text).toContain(`${GOOD.body}\n\nOn Tue, 3 Mar 2026 at 09:00, Anna <anna.kowalska@northwind.test> wrote:\n> Hi Tom,\n>\n> We are on track.\n>\n> Anna\n`);
    expect(seen[0]!.body.messages?.[1]?.content).toContain('We are on track.');
  });

  it('falls back to the corpus on HTTP 500', async () => {
    const { provider, reasons } = withReasons('fail');
    expect(await provider.generate(req)).toEqual(await corpus.generate(req));
    expect(reasons).toHaveLength(1);
    expect(reasons[0]).toMatch(/HTTP 500/);
    expect(reasons[0]).not.toContain(KEY);
  });

  it('falls back to the corpus when the endpoint is slower than the timeout, without waiting for it', async () => {
    const { provider, reasons } = withReasons('hang', 300);
    // The endpoint never answers: getting content at all proves the fallback did not wait for it.
    expect(await provider.generate(req)).toEqual(await corpus.generate(req));
    expect(reasons[0]).toMatch(/longer than 300 ms/);
    await expect.poll(() => seen[0]?.closed).toBe(true); // and the slow request was aborted
  });

  it('falls back to the corpus when the output has a link', async () => {
    const { provider, reasons } = withReasons('link');
    expect(await provider.generate(req)).toEqual(await corpus.generate(req));
    expect(reasons[0]).toMatch(/rejected: contains a link/);
  });

  it('falls back to the corpus when the output is not the requested JSON', async () => {
    const { provider, reasons } = withReasons('badjson');
    expect(await provider.generate(req)).toEqual(await corpus.generate(req));
    expect(reasons[0]).toMatch(/JSON/);
  });

  it('throws coded errors that never contain the key', async () => {
    const cases = [
      [llm('fail'), 'status'],
      [llm('badjson'), 'bad_json'],
      [llm('hang', 200), 'timeout'],
      [openAiProvider({ url: `${base}/ok/v1?key=${KEY}`, model: 'm', apiKey: KEY, fetch: () => Promise.reject(new TypeError(`fetch failed for ${KEY}`)) }), 'network'],
    ] as const;
    for (const [provider, reason] of cases) {
      const e = await thrown(provider.generate(req));
      expect(isKilnError(e), e.message).toBe(true);
      if (!isKilnError(e)) continue;
      expect(e.code).toBe('UPSTREAM_FAILED');
      expect(e.details).toMatchObject({ reason });
      expect(e.message).not.toContain(KEY);
      expect(JSON.stringify(e.toBody())).not.toContain(KEY);
      expect(String(e.stack)).not.toContain(KEY);
    }
  });
});
