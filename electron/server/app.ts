import fs from 'node:fs';
import path from 'node:path';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import fastifyStatic from '@fastify/static';
import { api, type MethodName } from '../../shared/api/table';
import { errorStatus, type ErrorBody, type ErrorCode } from '../../shared/errors';
import type { Core } from '../core/types';
import type { CallContext } from '../core/api/context';
import type { Logger } from '../core/log';
import { hostAllowList } from './host-check';
import { buildOpenApi } from './openapi';
import { openEventStream } from './sse';
import { contentSecurityPolicy } from '../../shared/csp';
import { oauthCallbackPath } from '../../shared/domain/oauth-defaults';

export interface ServerOptions {
  /** Interface to bind: 127.0.0.1 unless told otherwise. */
  host?: string;
  port?: number;
  /** Extra Host header names accepted (e.g. the server's DNS name behind a reverse proxy). */
  allowedHosts?: string[];
  bodyLimitBytes?: number;
  /** Built renderer to serve at / (the web UI); omitted when absent. */
  staticDir?: string;
  logger: Logger;
  version: string;
}

function sendError(reply: FastifyReply, code: ErrorCode, message: string, details?: unknown): FastifyReply {
  const error: ErrorBody = details === undefined ? { code, message } : { code, message, details };
  return reply.code(errorStatus[code]).send({ ok: false, error });
}

/** The REST/control server: every /api/v1 route comes from the API table. */
export async function createServer(core: Core, opts: ServerOptions): Promise<FastifyInstance> {
  const bindHost = opts.host ?? '127.0.0.1';
  const app = Fastify({
    loggerInstance: opts.logger as FastifyBaseLogger,
    // Per-request logs are noise at warmup volumes; errors are logged by the error handler.
    logController: new LogController({ disableRequestLogging: true }),
    // 8 MiB: recipients.import accepts a 5 MB CSV, which grows when JSON-escaped in the body.
    bodyLimit: opts.bodyLimitBytes ?? 8 * 1_048_576,
    return503OnClosing: true,
  });
  const hostOk = hostAllowList(bindHost, opts.allowedHosts);
  const streams = new Set<() => void>();
  const openapi = buildOpenApi(opts.version);

  app.addHook('onRequest', async (req, reply) => {
    if (!hostOk(req.headers.host)) return sendError(reply, 'HOST_NOT_ALLOWED', `Host "${req.headers.host ?? ''}" is not allowed`);
  });
  // The web UI gets the same CSP as the desktop window, plus headers that keep it out of frames.
  app.addHook('onSend', async (_req, reply) => {
    reply.header('content-security-policy', contentSecurityPolicy);
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'no-referrer');
    reply.header('x-frame-options', 'DENY');
  });
  // Open SSE streams would hold close() forever: end them first.
  app.addHook('preClose', async () => {
    for (const close of streams) close();
  });

  app.setErrorHandler((err: Error & { code?: string; statusCode?: number }, _req, reply) => {
    if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return sendError(reply, 'PAYLOAD_TOO_LARGE', 'The request body is too large');
    if (err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return sendError(reply, 'UNSUPPORTED_MEDIA_TYPE', 'Send JSON (Content-Type: application/json)');
    if (err.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' || err.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || err instanceof SyntaxError) {
      return sendError(reply, 'BAD_JSON', 'The request body is not valid JSON');
    }
    if (err.statusCode && err.statusCode < 500) return sendError(reply, 'VALIDATION_FAILED', err.message);
    opts.logger.error({ err }, 'request failed');
    return sendError(reply, 'INTERNAL', 'Internal error; see the Kiln log');
  });
  app.setNotFoundHandler((req, reply) => sendError(reply, 'NOT_FOUND', `No route ${req.method} ${req.url.split('?')[0]}`));

  async function authenticate(req: FastifyRequest, reply: FastifyReply): Promise<CallContext | null> {
    const header = req.headers.authorization;
    const token = header?.startsWith('Bearer ') ? header.slice(7).trim() : null;
    const ctx = token ? await core.authenticate(token) : null;
    if (!ctx) {
      reply.header('www-authenticate', 'Bearer realm="kiln"');
      sendError(reply, 'UNAUTHENTICATED', token ? 'The token is unknown or revoked' : 'Send Authorization: Bearer <token>');
      return null;
    }
    return ctx;
  }

  app.get('/health', async () => ({ ok: true, data: { status: 'ok' } }));

  // A browser back from an OAuth provider carries no token: the sign-in is found by its state.
  app.get(oauthCallbackPath, async (req, reply) => {
    if (!core.oauthCallback) return sendError(reply, 'NOT_FOUND', 'No OAuth sign-ins here');
    const query = req.url.includes('?') ? req.url.slice(req.url.indexOf('?') + 1) : '';
    const page = await core.oauthCallback(new URLSearchParams(query));
    return reply.code(page.status).header('cache-control', 'no-store').type('text/html; charset=utf-8').send(page.html);
  });

  // Readiness probes (load balancers, Kubernetes) carry no token: they get ready or not, and
  // only a token holder sees which check failed and why.
  app.get('/ready', async (req, reply) => {
    const anonymous = req.headers.authorization === undefined;
    if (!anonymous && !(await authenticate(req, reply))) return reply;
    const r = await core.ready();
    if (anonymous) return reply.code(r.ready ? 200 : 503).send(r.ready ? { ok: true, data: { ready: true } } : { ok: false, error: { code: 'NOT_READY', message: 'Not ready' } });
    return reply.code(r.ready ? 200 : 503).send(r.ready ? { ok: true, data: r } : { ok: false, error: { code: 'NOT_READY', message: 'Not ready', details: r.checks } });
  });

  app.get('/metrics', async (req, reply) => {
    if (!(await authenticate(req, reply))) return reply;
    const m = await core.metrics();
    return reply.type(m.contentType).send(m.body);
  });

  // The API's description holds no data: readable in a browser without a token.
  app.get('/api/openapi.json', async () => openapi);

  app.get('/api/v1/events', async (req, reply) => {
    const ctx = await authenticate(req, reply);
    if (!ctx) return reply;
    const close = openEventStream(core, ctx, req, reply);
    streams.add(close);
    req.raw.on('close', () => streams.delete(close));
    return reply;
  });

  for (const name of Object.keys(api) as MethodName[]) {
    const def = api[name];
    const url = `/api/v1${def.http.path.replace(/\{(\w+)\}/g, ':$1')}`;
    app.route({
      method: def.http.method,
      url,
      handler: async (req, reply) => {
        const ctx = await authenticate(req, reply);
        if (!ctx) return reply;
        const carrier = def.http.method === 'GET' || def.http.method === 'DELETE' ? req.query : req.body;
        const input = { ...(isObject(carrier) ? carrier : {}), ...(req.params as object) };
        const res = await core.call(name, input, ctx);
        if (!res.ok) return reply.code(errorStatus[res.error.code] ?? 500).send(res);
        return reply.code(def.http.status ?? 200).send(res);
      },
    });
  }

  if (opts.staticDir && fs.existsSync(path.join(opts.staticDir, 'index.html'))) {
    await app.register(fastifyStatic, { root: opts.staticDir, prefix: '/', index: 'index.html', wildcard: false });
  }
  return app;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
