// Transport over the REST API, for the web UI served by `kiln serve`. Every route is derived from
// the shared API table (http.method + http.path): there is no second list of URLs here.
import { api, type MethodName } from '../../../shared/api/table';
import type { Transport } from '../../../shared/api/client';
import type { EventName } from '../../../shared/api/events';
import { errorStatus, type Envelope, type ErrorBody, type ErrorCode } from '../../../shared/errors';
import { openEventStream } from './sse';
import { getToken } from './token';

export const API_BASE = '/api/v1';

export interface HttpRequest {
  method: string;
  url: string;
  body?: string;
}

type Fields = Record<string, unknown>;

function fail(code: ErrorCode, message: string, details?: unknown): Envelope<never> {
  return { ok: false, error: details === undefined ? { code, message } : { code, message, details } };
}

function appendQuery(query: URLSearchParams, key: string, value: unknown): void {
  if (value === undefined || value === null) return;
  if (Array.isArray(value)) for (const item of value) appendQuery(query, key, item);
  else query.append(key, typeof value === 'object' ? JSON.stringify(value) : String(value));
}

/**
 * The request for one method: `{name}` path segments are taken out of the input; the rest goes in
 * the query string (GET, DELETE) or the JSON body (POST, PATCH).
 */
export function buildRequest(method: MethodName, input: unknown, base = API_BASE): HttpRequest {
  const { http } = api[method];
  const fields: Fields = typeof input === 'object' && input !== null ? { ...(input as Fields) } : {};
  const path = http.path.replace(/\{(\w+)\}/g, (_match, name: string) => {
    const value = fields[name];
    delete fields[name];
    if (typeof value !== 'string' && typeof value !== 'number') {
      throw new TypeError(`${method}: "${name}" is required`);
    }
    return encodeURIComponent(String(value));
  });
  if (http.method === 'GET' || http.method === 'DELETE') {
    const query = new URLSearchParams();
    for (const [key, value] of Object.entries(fields)) appendQuery(query, key, value);
    const qs = query.toString();
    return { method: http.method, url: `${base}${path}${qs ? `?${qs}` : ''}` };
  }
  return { method: http.method, url: `${base}${path}`, body: JSON.stringify(fields) };
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isErrorBody(v: unknown): v is ErrorBody {
  return isRecord(v) && typeof v.code === 'string' && typeof v.message === 'string';
}

const codeForStatus = (status: number): ErrorCode =>
  (Object.entries(errorStatus).find(([, s]) => s === status)?.[0] as ErrorCode | undefined) ??
  (status >= 500 ? 'INTERNAL' : 'VALIDATION_FAILED');

/**
 * Read a response as an Envelope whether the server sends the envelope itself or the bare data
 * with an error body `{ error: { code, message } }` on failure.
 */
export function toEnvelope(status: number, text: string): Envelope<unknown> {
  let body: unknown = null;
  if (text !== '') {
    try {
      body = JSON.parse(text);
    } catch {
      return fail(status >= 400 ? codeForStatus(status) : 'INTERNAL', `Unexpected response from the server (HTTP ${status})`);
    }
  }
  if (isRecord(body) && body.ok === true && 'data' in body) return { ok: true, data: body.data };
  if (isRecord(body) && body.ok === false && isErrorBody(body.error)) return { ok: false, error: body.error };
  if (status >= 200 && status < 300) return { ok: true, data: body };
  if (isRecord(body) && isErrorBody(body.error)) return { ok: false, error: body.error };
  return fail(codeForStatus(status), `HTTP ${status}`);
}

function authHeaders(): Record<string, string> {
  const token = getToken();
  return token ? { Authorization: `Bearer ${token}` } : {};
}

export function httpTransport(base = API_BASE): Transport {
  const listeners = new Map<string, Set<(data: unknown) => void>>();
  let stream: { close(): void } | null = null;

  const dispatch = (name: string, data: unknown): void => {
    for (const listener of [...(listeners.get(name) ?? [])]) {
      try {
        listener(data);
      } catch (err) {
        console.error(`kiln: listener for ${name} failed`, err);
      }
    }
  };

  return {
    async invoke(method, input) {
      let req: HttpRequest;
      try {
        req = buildRequest(method, input, base);
      } catch (err) {
        return fail('VALIDATION_FAILED', err instanceof Error ? err.message : String(err));
      }
      const headers: Record<string, string> = { ...authHeaders(), Accept: 'application/json' };
      if (req.body !== undefined) headers['Content-Type'] = 'application/json';
      try {
        const res = await fetch(req.url, { method: req.method, headers, body: req.body, cache: 'no-store' });
        return toEnvelope(res.status, await res.text());
      } catch {
        return fail('NOT_READY', 'Cannot reach the Kiln server');
      }
    },

    on(event: EventName, listener) {
      const set = listeners.get(event) ?? new Set();
      listeners.set(event, set);
      const entry = (data: unknown): void => listener(data);
      set.add(entry);
      stream ??= openEventStream({ url: `${base}/events`, headers: authHeaders, onEvent: dispatch });
      return () => {
        set.delete(entry);
        if (set.size === 0 && listeners.get(event) === set) listeners.delete(event);
        if (listeners.size === 0 && stream) {
          stream.close();
          stream = null;
        }
      };
    },
  };
}
