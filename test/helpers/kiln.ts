import { spawn, execFile, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { waitFor } from './wait';

const root = path.resolve(import.meta.dirname, '../..');
export const headlessEntry = path.join(root, 'out/main/headless.js');
const execFileP = promisify(execFile);

export function tempDataDir(label = 'kiln'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `${label}-`));
}

/** Run the built CLI (`node out/main/headless.js ...`) to completion. */
export async function kilnCli(args: string[], opts: { env?: NodeJS.ProcessEnv; input?: string } = {}) {
  if (!fs.existsSync(headlessEntry)) throw new Error(`${headlessEntry} is missing: run "npm run build" first`);
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, [headlessEntry, ...args], { env: { ...process.env, ...opts.env }, stdio: 'pipe' });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
    child.stdin.end(opts.input ?? '');
  });
}

export async function createToken(dataDir: string, scopes = 'admin', workspace = 'default'): Promise<string> {
  const r = await kilnCli(['token', 'create', '--data', dataDir, '--name', `test-${scopes}`, '--scopes', scopes, '--workspace', workspace]);
  if (r.code !== 0) throw new Error(`token create failed: ${r.stderr}`);
  return r.stdout.trim();
}

export interface KilnProcess {
  url: string;
  port: number;
  dataDir: string;
  proc: ChildProcess;
  /** Everything the process printed so far (stdout + stderr). */
  output(): string;
  /** SIGTERM and wait for exit; returns the exit code. */
  stop(): Promise<number | null>;
  /** SIGKILL: no cleanup at all, like a crash. */
  kill(): Promise<void>;
}

export async function startKiln(opts: { dataDir?: string; env?: NodeJS.ProcessEnv; args?: string[] } = {}): Promise<KilnProcess> {
  if (!fs.existsSync(headlessEntry)) throw new Error(`${headlessEntry} is missing: run "npm run build" first`);
  const dataDir = opts.dataDir ?? tempDataDir();
  const proc = spawn(process.execPath, [headlessEntry, 'serve', '--data', dataDir, '--port', '0', ...(opts.args ?? [])], {
    // No scheduled blocklist scans: they would ask the machine's resolver about public zones.
    env: { ...process.env, KILN_LOG_LEVEL: 'debug', KILN_BLOCKLIST_SCAN_HOURS: '0', ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  proc.stdout!.on('data', (d) => (out += d));
  proc.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<number | null>((r) => proc.on('exit', (code) => r(code)));
  // 'close' comes after the output is read to its end, so a refusal's last words are in `out`.
  let closed = false;
  proc.on('close', () => (closed = true));
  const started = await waitFor<{ url: string } | { exit: number | null }>(
    () => {
      if (closed) return { exit: proc.exitCode };
      const url = /Kiln is serving (http:\/\/[^\s]+)/.exec(out)?.[1];
      return url ? { url } : undefined;
    },
    { timeoutMs: 20_000, what: 'kiln serve to listen' },
  );
  // A process that exits instead of listening fails at once, not at the deadline.
  if (!('url' in started)) throw new Error(`kiln serve exited with ${started.exit}:\n${out}`);
  const url = started.url;
  return {
    url,
    port: Number(new URL(url).port),
    dataDir,
    proc,
    output: () => out,
    async stop() {
      if (proc.exitCode === null) proc.kill('SIGTERM');
      return exited;
    },
    async kill() {
      if (proc.exitCode === null) proc.kill('SIGKILL');
      await exited;
    },
  };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read loosely-typed JSON bodies
export interface ApiResponse<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

/** A tiny JSON client for tests: `api.post('/api/v1/mailboxes', body)`. */
export function apiClient(baseUrl: string, token?: string) {
  const request = async (method: string, p: string, body?: unknown, headers: Record<string, string> = {}): Promise<ApiResponse> => {
    const res = await fetch(baseUrl + p, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // not JSON (metrics, static files)
    }
    return { status: res.status, body: parsed, headers: res.headers };
  };
  return {
    get: (p: string) => request('GET', p),
    post: (p: string, body?: unknown, headers?: Record<string, string>) => request('POST', p, body ?? {}, headers),
    patch: (p: string, body: unknown) => request('PATCH', p, body),
    delete: (p: string) => request('DELETE', p),
    raw: request,
  };
}

export { execFileP };
