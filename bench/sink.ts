import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';

export const SMTP_SINK = '/usr/sbin/smtp-sink';
export const SMTP_SOURCE = '/usr/sbin/smtp-source';

export function requireBinaries(): void {
  for (const b of [SMTP_SINK, SMTP_SOURCE]) {
    if (!fs.existsSync(b)) throw new Error(`${b} is missing: apt-get install postfix (it ships smtp-sink and smtp-source)`);
  }
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

/** Postfix's smtp-sink: a fast C SMTP server that accepts and discards everything, on 127.0.0.1. */
export async function startSink(): Promise<{ port: number; stop(): void }> {
  const port = await freePort();
  const args = ['-u', 'nobody', `127.0.0.1:${port}`, '256'];
  const proc: ChildProcess = spawn(SMTP_SINK, process.getuid?.() === 0 ? args : args.slice(2), { stdio: 'ignore' });
  const deadline = Date.now() + 5000;
  for (;;) {
    const up = await new Promise<boolean>((r) => {
      const c = net.connect(port, '127.0.0.1', () => {
        c.destroy();
        r(true);
      });
      c.on('error', () => r(false));
    });
    if (up) break;
    if (Date.now() > deadline) throw new Error('smtp-sink did not start');
    await new Promise((r) => setTimeout(r, 20));
  }
  return { port, stop: () => proc.kill('SIGTERM') };
}

/** smtp-source: messages/second for `messages` messages of `size` bytes over `sessions` sessions. */
export function smtpSource(port: number, messages: number, sessions: number, size: number): number {
  const t0 = performance.now();
  const r = spawnSync(SMTP_SOURCE, ['-s', String(sessions), '-m', String(messages), '-l', String(size), '-f', 'bench@kiln.test', '-t', 'sink@kiln.test', `127.0.0.1:${port}`], { stdio: 'pipe' });
  const secs = (performance.now() - t0) / 1000;
  if (r.status !== 0) throw new Error(`smtp-source failed: ${r.stderr.toString()}`);
  return messages / secs;
}
