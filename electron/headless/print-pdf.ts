// Headless PDF printing for reports: the Chromium binary in headless mode prints the report page
// from a temp file; without Chromium, the plain printer lays the report data out with pdfkit.
// Chromium runs with no network: a dead proxy for every URL (the page has no remote resources
// anyway); no scripts: the page has none and its CSP (default-src 'none') forbids them (turning
// scripts off with --blink-settings makes headless print nothing); a throwaway profile; killed on timeout.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { KilnError } from '../../shared/errors';
import type { PrintPdf } from '../core/reports/print';

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable'];

/** The Chromium to print with: KILN_CHROMIUM, else the first usual path that exists; null: none. */
export function findChromium(env: NodeJS.ProcessEnv = process.env): string | null {
  if (env.KILN_CHROMIUM) return fs.existsSync(env.KILN_CHROMIUM) ? env.KILN_CHROMIUM : null;
  return CANDIDATES.find((p) => fs.existsSync(p)) ?? null;
}

export function chromiumPrinter(binary: string, timeoutMs = 60_000, tmpRoot = os.tmpdir()): PrintPdf {
  return async ({ html }) => {
    const dir = fs.mkdtempSync(path.join(tmpRoot, 'kiln-pdf-'));
    const page = path.join(dir, 'report.html');
    const out = path.join(dir, 'report.pdf');
    fs.writeFileSync(page, html);
    const args = [
      '--headless',
      '--disable-gpu',
      '--no-first-run',
      '--no-default-browser-check',
      '--disable-extensions',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
      '--proxy-server=127.0.0.1:9',
      '--proxy-bypass-list=<-loopback>',
      `--user-data-dir=${path.join(dir, 'profile')}`,
      '--no-pdf-header-footer',
      `--print-to-pdf=${out}`,
      pathToFileURL(page).href,
    ];
    // Chromium refuses to run as root with its sandbox on.
    if (process.getuid?.() === 0) args.unshift('--no-sandbox');
    try {
      await new Promise<void>((resolve, reject) => {
        const child = spawn(binary, args, { stdio: ['ignore', 'ignore', 'pipe'], detached: true, env: { ...process.env, HOME: dir } });
        let stderr = '';
        let timedOut = false;
        child.stderr.on('data', (d: Buffer) => void (stderr = (stderr + String(d)).slice(-2000)));
        // On timeout, kill its whole process group and answer once it has exited (then the temp
        // folder is removed under no running process).
        const timer = setTimeout(() => {
          timedOut = true;
          try {
            process.kill(-child.pid!, 'SIGKILL');
          } catch {
            /* already gone */
          }
        }, timeoutMs);
        child.on('error', (e) => {
          clearTimeout(timer);
          reject(new KilnError('PDF_UNAVAILABLE', `Chromium (${binary}) could not start: ${e.message}`));
        });
        child.on('exit', (code) => {
          clearTimeout(timer);
          if (timedOut) reject(new KilnError('PDF_UNAVAILABLE', `Chromium (${binary}) did not print the report within ${timeoutMs / 1000} s`));
          else if (fs.existsSync(out) && fs.statSync(out).size > 0) resolve();
          else reject(new KilnError('PDF_UNAVAILABLE', `Chromium (${binary}) exited ${code} without a PDF: ${stderr.trim().split('\n').at(-1) ?? ''}`));
        });
      });
      return fs.readFileSync(out);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  };
}

/** The printer `kiln serve` and the CLI inject into the core: Chromium when found, else the plain PDF. */
export function headlessPrinter(env: NodeJS.ProcessEnv = process.env): PrintPdf {
  const bin = findChromium(env);
  // Loaded on first use: pdfkit and its fonts cost every CLI command a start-up otherwise.
  return bin ? chromiumPrinter(bin) : async ({ report }) => (await import('../core/reports/plain-pdf')).plainPdf(report);
}
