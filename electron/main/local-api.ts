// The desktop's local REST API and web UI: the very server `kiln serve` runs (electron/server),
// with the same token check, Host check and limits, bound to 127.0.0.1 only. Off by default; the
// desktop preference `localApi` turns it on and picks the port. No Electron here, so a test can
// drive it with a real core.
import type { FastifyInstance } from 'fastify';
import { createServer } from '../server/app';
import { noteDispatchHolder } from '../core/sending/dispatch-lock';
import type { Core } from '../core/types';
import type { CoreInternals } from '../core/app';
import { callCore } from './call-core';
import type { Logger } from '../core/log';
import { LOCAL_API_HOST, localApiStatusOf, type LocalApiStatus } from '../../shared/domain/local-api';
import type { Preferences } from '../../shared/domain/preferences';

export type LocalApiPreference = Preferences['desktop']['localApi'];

/** How the desktop names itself to a `kiln serve` refused the data folder. */
export const DESKTOP_HOLDER = 'the Kiln desktop app';

export interface LocalApiOptions {
  core: Core;
  logger: Logger;
  version: string;
  /** out/renderer: the web UI served at /. */
  staticDir: string;
  /** The data folder, whose lock note names the API's address while it is on. */
  dataDir: string;
  now?: () => number;
  onChange?: (status: LocalApiStatus) => void;
}

export interface LocalApi {
  readonly status: LocalApiStatus;
  /** Start, stop or move the server to match the preference; resolves once it has. */
  apply(pref: LocalApiPreference): Promise<void>;
  stop(): Promise<void>;
}

/** A listen failure in words a person can act on. */
function listenError(port: number, e: NodeJS.ErrnoException): { code: string; message: string } {
  const how = 'choose another port in Settings';
  if (e.code === 'EADDRINUSE') return { code: 'CONFLICT', message: `Port ${port} on ${LOCAL_API_HOST} is already in use (another Kiln, or another program); ${how}.` };
  if (e.code === 'EACCES') return { code: 'FORBIDDEN', message: `Not allowed to listen on port ${port}; ${how}.` };
  return { code: 'INTERNAL', message: `Cannot listen on ${LOCAL_API_HOST}:${port}: ${e.code ?? e.message}` };
}

export function createLocalApi(o: LocalApiOptions): LocalApi {
  const now = o.now ?? Date.now;
  let status = localApiStatusOf({ state: 'off', port: null, url: null, error: null, at: null });
  let server: { app: FastifyInstance; port: number } | null = null;
  let want: LocalApiPreference = { enabled: false, port: 0 };
  let chain = Promise.resolve();

  const set = (f: Omit<Parameters<typeof localApiStatusOf>[0], 'at'>) => {
    status = localApiStatusOf({ ...f, at: new Date(now()).toISOString() });
    o.onChange?.(status);
  };

  async function reconcile(): Promise<void> {
    const target = want;
    if (target.enabled && server?.port === target.port && status.state === 'on') return;
    if (server) {
      const old = server;
      server = null;
      await old.app.close();
      noteDispatchHolder(o.dataDir, DESKTOP_HOLDER);
    }
    if (!target.enabled) return set({ state: 'off', port: null, url: null, error: null });
    set({ state: 'starting', port: target.port, url: null, error: null });
    let app: FastifyInstance | null = null;
    try {
      // The same options `kiln serve` gives on loopback: no extra Host names, default limits.
      app = await createServer(o.core, { host: LOCAL_API_HOST, port: target.port, staticDir: o.staticDir, logger: o.logger, version: o.version });
      const url = await app.listen({ host: LOCAL_API_HOST, port: target.port });
      const port = app.server.address() && typeof app.server.address() === 'object' ? (app.server.address() as { port: number }).port : target.port;
      server = { app, port: target.port };
      noteDispatchHolder(o.dataDir, `${DESKTOP_HOLDER} with its local API at ${url}`);
      set({ state: 'on', port, url, error: null });
      o.logger.info({ url }, 'local API listening');
    } catch (e) {
      await app?.close().catch(() => {});
      const err = e as NodeJS.ErrnoException;
      set({ state: 'error', port: target.port, url: null, error: err.code ? listenError(target.port, err) : { code: 'INTERNAL', message: err.message } });
      o.logger.warn({ port: target.port, code: err.code }, 'local API could not start');
    }
  }

  const enqueue = () => (chain = chain.then(reconcile, reconcile));
  return {
    get status() {
      return status;
    },
    apply(pref) {
      want = pref;
      return enqueue();
    },
    stop() {
      want = { enabled: false, port: want.port };
      return enqueue();
    },
  };
}

/** The local API following the default workspace's desktop preference, now and on every change. */
export function startLocalApi(
  core: Pick<CoreInternals, 'call' | 'subscribe' | 'defaultWorkspaceId' | 'authenticate' | 'metrics' | 'ready' | 'close' | 'services'>,
  o: Pick<LocalApiOptions, 'staticDir' | 'dataDir' | 'onChange'>,
): { api: LocalApi; unsubscribe: () => void } {
  const api = createLocalApi({ core, logger: core.services.log, version: core.services.config.version, ...o });
  let fromEvent = false;
  const unsubscribe = core.subscribe((event) => {
    if (event.workspaceId !== core.defaultWorkspaceId || event.name !== 'preferences.updated') return;
    fromEvent = true;
    const pref = (event.data as { desktop?: { localApi?: LocalApiPreference } }).desktop?.localApi;
    if (pref) void api.apply(pref);
  });
  callCore(core, 'preferences.get', {}).then(
    (p) => {
      // An update that arrived meanwhile is newer than this answer.
      if (!fromEvent && p.desktop.localApi) void api.apply(p.desktop.localApi);
    },
    (err: unknown) => console.error('kiln: could not read the local API preference', err),
  );
  return { api, unsubscribe };
}
