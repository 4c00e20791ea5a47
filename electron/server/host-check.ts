import net from 'node:net';

/**
 * DNS-rebinding guard: a browser tricked into calling 127.0.0.1 through an attacker's domain
 * still sends that domain in Host. Only names that mean "this machine" (plus configured ones) pass.
 */
export function hostAllowList(bindHost: string, extra: string[] = []): (hostHeader: string | undefined) => boolean {
  const allowed = new Set(['127.0.0.1', 'localhost', '::1', ...extra.map((h) => h.toLowerCase())]);
  if (bindHost !== '0.0.0.0' && bindHost !== '::') allowed.add(bindHost.toLowerCase());
  return (hostHeader) => {
    if (!hostHeader) return false;
    return allowed.has(hostnameOf(hostHeader).toLowerCase());
  };
}

function hostnameOf(host: string): string {
  if (host.startsWith('[')) return host.slice(1, host.indexOf(']'));
  if (net.isIPv6(host)) return host;
  const colon = host.lastIndexOf(':');
  return colon === -1 ? host : host.slice(0, colon);
}
