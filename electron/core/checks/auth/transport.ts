// Whether a received copy crossed to the recipient's server over TLS: the `with` protocol of the
// Received field written where the mail entered that server (RFC 3848: ESMTPS = over TLS, ESMTP /
// SMTP = in the clear; a trailing A = an authenticated submission, i.e. the sender's own server,
// which says nothing of server-to-server delivery).
import { sendingIpFromReceived } from './received';

export type TransportTls = 'tls' | 'plain' | 'submission' | 'unknown';

export function tlsOfProtocol(protocol: string | null): TransportTls {
  const p = (protocol ?? '').trim().toUpperCase();
  const m = /^(UTF8)?(E?SMTP|LMTP)(S?)(A?)$/.exec(p);
  if (!m) return 'unknown';
  if (m[4]) return 'submission';
  return m[3] ? 'tls' : 'plain';
}

/** The entry hop's protocol word (e.g. "ESMTPS"), or null when no hop says. */
export function entryProtocol(rawHeaders: string): string | null {
  const entry = sendingIpFromReceived(rawHeaders, { acceptInternal: true });
  return entry?.hop.with ? entry.hop.with.trim().toUpperCase() : null;
}
