// One webhook POST: SSRF-guarded (literal hosts checked here, names in the connection's lookup),
// no redirects followed, one overall deadline, at most a few KB of the answer read.
import type dns from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import tls from 'node:tls';
import { checkLiteralHost, guardedLookup } from './ssrf';
import { isKilnError } from '../../../shared/errors';

export interface PostOptions {
  /** Refuse loopback/private/link-local targets (the SSRF guard); false only when configured. */
  guard: boolean;
  timeoutMs: number;
  /** Extra CA certificates (PEM) trusted besides the system's, e.g. for a private receiver. */
  ca?: string[];
  userAgent: string;
  /** Aborts the request (core shutting down). */
  signal?: AbortSignal;
  /** The resolver under the guard (default dns.lookup; tests pass a fake). */
  lookup?: typeof dns.lookup;
}

export interface PostResult {
  ok: boolean;
  statusCode: number | null;
  /** Short, printable, never containing headers or secrets. */
  error: string | null;
  durationMs: number;
  /** The request was aborted by `signal`: not an attempt to record. */
  aborted?: boolean;
}

const MAX_ANSWER_BYTES = 4096;
const MAX_ERROR_CHARS = 300;

const printable = (s: string) => s.replace(/[^\x20-\x7e]+/g, ' ').trim();

function describe(err: unknown): string {
  if (isKilnError(err)) return err.message;
  const e = err as NodeJS.ErrnoException;
  return e?.code ? `${e.code}${e.message && !e.message.includes(e.code) ? ` (${e.message})` : ''}` : String(e?.message ?? err);
}

export function postWebhook(url: URL, headers: Record<string, string>, body: string, opts: PostOptions): Promise<PostResult> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const fail = (error: string, statusCode: number | null = null, aborted = false): PostResult => ({
    ok: false,
    statusCode,
    error: printable(error).slice(0, MAX_ERROR_CHARS),
    durationMs: elapsed(),
    ...(aborted ? { aborted } : {}),
  });

  if (opts.guard) {
    try {
      checkLiteralHost(url);
    } catch (e) {
      return Promise.resolve(fail(describe(e)));
    }
  }
  if (opts.signal?.aborted) return Promise.resolve(fail('aborted', null, true));

  return new Promise<PostResult>((resolve) => {
    let settled = false;
    const finish = (r: PostResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
      req.destroy();
      resolve(r);
    };
    const secure = url.protocol === 'https:';
    const payload = Buffer.from(body, 'utf8');
    const req = (secure ? https : http).request(url, {
      method: 'POST',
      // A fresh connection per attempt: a pooled socket would skip the guarded lookup.
      agent: false,
      ...(opts.guard ? { lookup: guardedLookup(opts.lookup) } : {}),
      ...(secure && opts.ca?.length ? { ca: [...tls.rootCertificates, ...opts.ca] } : {}),
      headers: {
        'content-type': 'application/json',
        'content-length': String(payload.length),
        'user-agent': opts.userAgent,
        ...headers,
      },
    });
    // Set once an answer's status is known: a deadline hit while reading its body reports the status.
    let answered: (() => void) | null = null;
    const timer = setTimeout(() => (answered ? answered() : finish(fail(`timeout after ${opts.timeoutMs} ms`))), opts.timeoutMs);
    timer.unref?.();
    const onAbort = () => finish(fail('aborted', null, true));
    opts.signal?.addEventListener('abort', onAbort, { once: true });

    req.on('error', (err) => finish(fail(describe(err))));
    req.on('response', (res) => {
      const status = res.statusCode ?? 0;
      // The answer's body means nothing on success: done without reading it.
      if (status >= 200 && status < 300) return finish({ ok: true, statusCode: status, error: null, durationMs: elapsed() });
      const chunks: Buffer[] = [];
      let size = 0;
      const done = () => {
        const answer = printable(Buffer.concat(chunks).toString('utf8')).slice(0, 200);
        const why = status >= 300 && status < 400 ? 'redirects are not followed' : answer;
        finish(fail(`HTTP ${status}${why ? `: ${why}` : ''}`, status));
      };
      answered = done;
      res.on('data', (c: Buffer) => {
        size += c.length;
        if (size <= MAX_ANSWER_BYTES) chunks.push(c);
        // Enough for an error message: the rest of a large answer is never read.
        else done();
      });
      res.on('end', done);
      res.on('error', done);
    });
    req.end(payload);
  });
}
