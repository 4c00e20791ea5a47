import net from 'node:net';
import { KilnError } from '../../shared/errors';

/**
 * Binds host:port for a moment and lets it go, so `serve` can refuse a busy port before it creates
 * the data folder, a database or a token. Port 0 (any free port) always succeeds.
 */
export async function assertPortFree(host: string, port: number): Promise<void> {
  if (port === 0) return;
  await new Promise<void>((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', (e: NodeJS.ErrnoException) => reject(portError(host, port, e)));
    probe.listen({ host, port, exclusive: true }, () => probe.close(() => resolve()));
  });
}

/** What a person can do about a listen failure: the port, the cause, how to pick another (exit 1; a bad --host exits 2). */
export function portError(host: string, port: number, e: NodeJS.ErrnoException): Error {
  const how = 'choose another with --port <n> (or KILN_PORT)';
  if (e.code === 'EADDRINUSE') return new Error(`port ${port} on ${host} is already in use (another Kiln, or another program); ${how}`);
  if (e.code === 'EACCES') return new Error(`not allowed to listen on port ${port} on ${host} (ports below 1024 need privileges); ${how}`);
  if (e.code === 'EADDRNOTAVAIL') return new KilnError('VALIDATION_FAILED', `cannot listen on ${host}: no such address on this machine; check --host (or KILN_HOST)`);
  return new Error(`cannot listen on ${host}:${port}: ${e.code ?? e.message}`);
}
