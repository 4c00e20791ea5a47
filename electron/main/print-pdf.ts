// Desktop PDF printing for reports: a hidden, sandboxed window with no Node and JavaScript off
// loads the report page (self-contained, no remote resources) and Electron prints it.
import { BrowserWindow, session } from 'electron';
import type { PrintablePage } from '../core/reports/print';

const TIMEOUT_MS = 60_000;

export async function printPdf({ html }: PrintablePage): Promise<Buffer> {
  // Its own in-memory session that refuses every request but the page itself.
  const ses = session.fromPartition('kiln-report-print');
  ses.webRequest.onBeforeRequest((details, cb) => cb({ cancel: !details.url.startsWith('data:') }));
  const win = new BrowserWindow({
    show: false,
    webPreferences: { sandbox: true, nodeIntegration: false, contextIsolation: true, javascript: false, session: ses },
  });
  const timer = setTimeout(() => win.destroy(), TIMEOUT_MS);
  try {
    await win.loadURL(`data:text/html;charset=utf-8;base64,${Buffer.from(html).toString('base64')}`);
    return await win.webContents.printToPDF({ pageSize: 'A4', printBackground: true, displayHeaderFooter: false, preferCSSPageSize: true });
  } finally {
    clearTimeout(timer);
    if (!win.isDestroyed()) win.destroy();
  }
}
