// Lock-down shared by every window: what the renderer may load, navigate to, open and ask for.
// The renderer is treated as untrusted: it gets the two-function bridge and nothing else.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, session, type Session, type WebContents } from 'electron';
import { contentSecurityPolicy } from '../../shared/csp';

/**
 * True when `url` is a file:// URL inside the built renderer folder (out/renderer, possibly inside
 * app.asar). Compared as file system paths so percent-encoding and Windows drive-letter case
 * cannot fool a string prefix test.
 */
export function isAppUrl(url: string, rendererDir: string): boolean {
  let file: string;
  try {
    const parsed = new URL(url);
    if (parsed.protocol !== 'file:' || (parsed.host !== '' && parsed.host !== 'localhost')) return false;
    parsed.hash = '';
    parsed.search = '';
    file = fileURLToPath(parsed);
  } catch {
    return false;
  }
  const rel = path.relative(rendererDir, file);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
}

function isDevtoolsUrl(url: string): boolean {
  return url.startsWith('devtools://');
}

/**
 * Session-wide rules: deny every permission, refuse every request that is not the app's own
 * files (no remote content at all: the renderer talks to the core over IPC only), and put the CSP
 * header on whatever the session does receive over http(s). The core never goes through this
 * session: it uses Node's own sockets (nodemailer, imapflow, node:dns).
 */
export function hardenSession(ses: Session, rendererDir: string): void {
  ses.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  ses.setPermissionCheckHandler(() => false);
  ses.setDevicePermissionHandler(() => false);

  ses.webRequest.onBeforeRequest((details, callback) => {
    const { url } = details;
    const allowed =
      isAppUrl(url, rendererDir) || isDevtoolsUrl(url) || url.startsWith('data:') || url.startsWith('blob:');
    if (!allowed) console.warn(`kiln: blocked request to ${url.slice(0, 200)}`);
    callback({ cancel: !allowed });
  });

  // Chromium runs no header hooks for file:// pages, so for the app's own page the identical
  // <meta> policy injected into index.html at build time is what applies (see csp.ts).
  ses.webRequest.onHeadersReceived((details, callback) => {
    const headers = { ...details.responseHeaders };
    for (const name of Object.keys(headers)) {
      if (name.toLowerCase() === 'content-security-policy') delete headers[name];
    }
    headers['Content-Security-Policy'] = [contentSecurityPolicy];
    callback({ responseHeaders: headers });
  });
}

/** Per-WebContents rules, applied to every WebContents the app ever creates. */
export function guardWebContents(contents: WebContents, rendererDir: string): void {
  // No new windows, from window.open, target=_blank links or anything else.
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));

  const guardNavigation = (event: { preventDefault(): void; url: string }): void => {
    if (isAppUrl(event.url, rendererDir) || isDevtoolsUrl(event.url)) return;
    event.preventDefault();
    console.warn(`kiln: blocked navigation to ${event.url.slice(0, 200)}`);
  };
  contents.on('will-navigate', guardNavigation);
  // Sub-frames too (the CSP already keeps frames to 'self'; this is the second lock).
  contents.on('will-frame-navigate', (event) => {
    if (!event.isMainFrame) guardNavigation(event);
  });
  contents.on('will-redirect', guardNavigation);

  // <webview> is disabled in webPreferences; refuse attaching one anyway.
  contents.on('will-attach-webview', (event) => event.preventDefault());
}

/**
 * Process-wide switches; call once before `app.whenReady()`. Forces the sandbox on every renderer
 * and guards every WebContents as soon as it exists (not only the ones this code creates).
 */
export function installSecurity(rendererDir: string): void {
  app.enableSandbox();
  app.on('web-contents-created', (_event, contents) => guardWebContents(contents, rendererDir));
  void app.whenReady().then(() => hardenSession(session.defaultSession, rendererDir));
}
