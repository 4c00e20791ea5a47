// The desktop and CLI redirect target (RFC 8252 §7.3): a one-shot listener on 127.0.0.1 at a port
// the system picks, answering only /oauth/callback, closed once a callback settled the sign-in.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { CallbackAnswer } from './page';
import { oauthCallbackPath } from '../../../../shared/domain/oauth-defaults';

export const CALLBACK_PATH = oauthCallbackPath;

export interface LoopbackListener {
  redirectUri: string;
  close(): void;
}

/** `onCallback` answers the page and says whether the listener is done (false: a stray request, keep waiting). */
export async function openLoopback(onCallback: (params: URLSearchParams) => Promise<CallbackAnswer & { done: boolean }>): Promise<LoopbackListener> {
  let closed = false;
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (req.method !== 'GET' || url.pathname !== CALLBACK_PATH) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('Not found');
      return;
    }
    void onCallback(url.searchParams).then((a) => {
      res.writeHead(a.status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' });
      res.end(a.html, () => {
        if (a.done) close();
      });
    });
  });
  function close(): void {
    if (closed) return;
    closed = true;
    server.close();
    server.closeIdleConnections();
  }
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: '127.0.0.1', port: 0 }, resolve);
  });
  const { port } = server.address() as AddressInfo;
  return { redirectUri: `http://127.0.0.1:${port}${CALLBACK_PATH}`, close };
}
