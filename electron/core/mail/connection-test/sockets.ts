// DNS, TCP and TLS probes done by Kiln itself (not by the mail libraries), so the failing stage is exact and an
// injected resolver can stand in for DNS. Every socket is registered with the run's lifetime and closed with it.
import dns from 'node:dns';
import net from 'node:net';
import tls from 'node:tls';
import { noop, type Lifetime } from './deadline';
import type { ConnectOptions } from './types';

export function errorWithCode(message: string, code: string, extra: Record<string, unknown> = {}): Error {
  return Object.assign(new Error(message), { code }, extra);
}

export function bareHost(host: string): string {
  const h = host.trim();
  return h.startsWith('[') && h.endsWith(']') ? h.slice(1, -1) : h;
}

async function systemLookup(host: string): Promise<string[]> {
  const found = await dns.promises.lookup(host, { all: true, verbatim: true });
  return found.map((a) => a.address);
}

/** IP literals and localhost need no query; anything else goes through `lookup`. */
export async function resolveHost(host: string, lookup: ConnectOptions['lookup']): Promise<string[]> {
  if (net.isIP(host)) return [host];
  if (host.toLowerCase() === 'localhost') return ['127.0.0.1', '::1'];
  const addresses = await (lookup ?? systemLookup)(host);
  if (addresses.length === 0) throw errorWithCode(`No address found for ${host}`, 'ENOTFOUND', { hostname: host });
  return addresses;
}

function connectOne(address: string, port: number, timeoutMs: number, run: Lifetime): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: address, port });
    socket.on('error', noop); // errors are handled below and by whoever takes the socket over
    run.onClose(() => socket.destroy());
    const timer = setTimeout(() => {
      socket.destroy();
      reject(errorWithCode(`Connection to ${address}:${port} timed out`, 'ETIMEDOUT', { address, port }));
    }, timeoutMs);
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.removeListener('error', onError);
      resolve(socket);
    });
    const onError = (err: Error): void => {
      clearTimeout(timer);
      socket.destroy();
      reject(err);
    };
    socket.once('error', onError);
  });
}

/** Plain TCP connect, trying the addresses in turn. */
export async function connectTcp(addresses: readonly string[], port: number, run: Lifetime): Promise<net.Socket> {
  let lastError: unknown = errorWithCode('No address to connect to', 'ENOTFOUND');
  for (const address of addresses) {
    try {
      return await connectOne(address, port, run.remaining(), run);
    } catch (err) {
      lastError = err;
    }
  }
  throw lastError;
}

export function tlsOptions(host: string, ca: readonly string[] | undefined): tls.ConnectionOptions {
  const opts: tls.ConnectionOptions = { rejectUnauthorized: true };
  if (ca && ca.length > 0) opts.ca = [...tls.rootCertificates, ...ca];
  // SNI must not be an IP address; the certificate is then checked against the IP (from `host`).
  if (!net.isIP(host)) opts.servername = host;
  return opts;
}

/** Implicit TLS handshake over a connected socket; resolves once the certificate is verified. */
export function tlsHandshake(socket: net.Socket, host: string, ca: readonly string[] | undefined, run: Lifetime): Promise<tls.TLSSocket> {
  return new Promise((resolve, reject) => {
    const secure = tls.connect({ ...tlsOptions(host, ca), socket, host });
    secure.on('error', noop);
    run.onClose(() => secure.destroy());
    const timer = setTimeout(() => {
      secure.destroy();
      reject(errorWithCode('TLS handshake timed out', 'ERR_TLS_HANDSHAKE_TIMEOUT'));
    }, run.remaining());
    const onError = (err: Error): void => {
      clearTimeout(timer);
      secure.destroy();
      reject(err);
    };
    secure.once('error', onError);
    secure.once('secureConnect', () => {
      clearTimeout(timer);
      secure.removeListener('error', onError);
      resolve(secure);
    });
  });
}

/** A TLS session in words, the evidence of the tls stage: "TLSv1.3, certificate CN=localhost (issuer CN=…, valid until …)". */
export function describeTls(socket: unknown): string {
  if (!(socket instanceof tls.TLSSocket)) return 'encrypted';
  const cert = socket.getPeerCertificate();
  const cn = (name: Record<string, unknown> | undefined): string => (typeof name?.CN === 'string' ? `CN=${name.CN}` : 'no CN');
  const parts = [socket.getProtocol() ?? 'TLS', socket.getCipher()?.name];
  if (cert && Object.keys(cert).length > 0) parts.push(`certificate ${cn(cert.subject as never)} (issuer ${cn(cert.issuer as never)}, valid until ${cert.valid_to})`);
  return parts.filter(Boolean).join(', ');
}
