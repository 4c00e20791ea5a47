import net from 'node:net';
import type { Security } from '../../../shared/domain/mailbox';
import { KilnError } from '../../../shared/errors';
import { presets, type Endpoint } from './presets';
import type { Provider } from '../../../shared/domain/mailbox';

export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (h === 'localhost' || h.endsWith('.localhost')) return true;
  if (net.isIPv4(h)) return h.startsWith('127.');
  if (net.isIPv6(h)) return h === '::1' || h.startsWith('::ffff:127.');
  return false;
}

interface PartialEndpoint {
  host?: string | undefined;
  port?: number | undefined;
  security?: Security | undefined;
}

/** Fill host/port/security from the provider preset; fail with the exact field that is missing. */
export function resolveEndpoint(provider: Provider, protocol: 'smtp' | 'imap', given: PartialEndpoint): Endpoint {
  const preset = presets[provider][protocol];
  const host = given.host ?? preset?.host;
  const security = given.security ?? preset?.security;
  const port = given.port ?? (given.host === undefined || given.host === preset?.host ? preset?.port : undefined) ?? defaultPort(protocol, security);
  const missing = [!host && 'host', !security && 'security', !port && 'port'].filter(Boolean) as string[];
  if (missing.length > 0 || !host || !security || !port) {
    throw new KilnError('VALIDATION_FAILED', `${protocol}: ${missing.join(', ')} required for provider ${provider}`, {
      fields: missing.map((f) => ({ path: `${protocol}.${f}`, message: 'required' })),
    });
  }
  return { host, port, security };
}

function defaultPort(protocol: 'smtp' | 'imap', security: Security | undefined): number | undefined {
  if (!security) return undefined;
  if (protocol === 'smtp') return security === 'tls' ? 465 : 587;
  return security === 'tls' ? 993 : 143;
}

/** Plaintext credentials may only cross loopback unless the user explicitly says otherwise. */
export function assertTransportAllowed(protocol: 'smtp' | 'imap', ep: Endpoint, allowInsecure: boolean): void {
  if (ep.security === 'none' && !allowInsecure && !isLoopbackHost(ep.host)) {
    throw new KilnError(
      'INSECURE_TRANSPORT',
      `${protocol}: security "none" would send the password in clear to ${ep.host}; use "tls" or "starttls", or set allowInsecure: true`,
      { fields: [{ path: `${protocol}.security`, message: 'plaintext only allowed to loopback hosts' }] },
    );
  }
}
