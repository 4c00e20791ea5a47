// The one client the UI uses, over whichever transport this page has: the Electron bridge when
// the preload exposed `window.kiln`, else HTTP + SSE to the server that served the page.
// Only stores (renderer/src/stores) may call it: eslint enforces that.
import { createClient, type KilnClient } from '../../../shared/api/client';
import { httpTransport } from './http';
import { desktopBridge, ipcTransport } from './ipc';

export { desktopWorkspace, setDesktopWorkspace } from './ipc';

export type TransportKind = 'ipc' | 'http';

const bridge = desktopBridge();

export const transportKind: TransportKind = bridge ? 'ipc' : 'http';

export const client: KilnClient = createClient(bridge ? ipcTransport(bridge) : httpTransport());

export { clearToken, getToken, listSessions, rememberSession, setToken, type WorkspaceSession } from './token';
