// Node socket/TLS/DNS error codes, shared by smtp-errors and imap/errors: which failure class each code belongs to.
import type { FailureKind } from './smtp-failure';

const DNS_PERMANENT_CODES = new Set(['ENOTFOUND', 'ENODATA', 'EAI_NONAME', 'EAI_NODATA', 'ENONAME', 'EBADNAME', 'EBADFAMILY']);
const DNS_TRANSIENT_CODES = new Set([
  'EAI_AGAIN',
  'EAI_FAIL',
  'ETIMEOUT', // c-ares / dns.TIMEOUT (a socket timeout is ETIMEDOUT)
  'ESERVFAIL',
  'EREFUSED',
  'EBADRESP',
  'EFORMERR',
  'ECONNREFUSED',
  'ECANCELLED',
  'EDESTRUCTION',
  'ENOTIMP',
]);
const CONNECT_CODES = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'EHOSTDOWN', 'ENETDOWN', 'EADDRNOTAVAIL', 'EADDRINUSE', 'EACCES', 'EPERM']);
const CONNECTION_LOST_CODES = new Set([
  'ECONNRESET',
  'EPIPE',
  'ECONNABORTED',
  'ERR_STREAM_DESTROYED',
  'ERR_STREAM_WRITE_AFTER_END',
  'ERR_SOCKET_CLOSED',
  'ERR_STREAM_PREMATURE_CLOSE',
]);
const TIMEOUT_CODES = new Set(['ETIMEDOUT', 'ESOCKETTIMEDOUT', 'ERR_TLS_HANDSHAKE_TIMEOUT']);
/** OpenSSL verification results as Node reports them in err.code, plus Node's own hostname check. */
const CERTIFICATE_CODES = new Set([
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_CRL',
  'UNABLE_TO_DECRYPT_CERT_SIGNATURE',
  'UNABLE_TO_DECRYPT_CRL_SIGNATURE',
  'UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY',
  'CERT_SIGNATURE_FAILURE',
  'CRL_SIGNATURE_FAILURE',
  'CERT_NOT_YET_VALID',
  'CERT_HAS_EXPIRED',
  'CRL_NOT_YET_VALID',
  'CRL_HAS_EXPIRED',
  'ERROR_IN_CERT_NOT_BEFORE_FIELD',
  'ERROR_IN_CERT_NOT_AFTER_FIELD',
  'ERROR_IN_CRL_LAST_UPDATE_FIELD',
  'ERROR_IN_CRL_NEXT_UPDATE_FIELD',
  'OUT_OF_MEM',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'CERT_CHAIN_TOO_LONG',
  'CERT_REVOKED',
  'INVALID_CA',
  'PATH_LENGTH_EXCEEDED',
  'INVALID_PURPOSE',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'HOSTNAME_MISMATCH',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

export type NetworkCodeClass =
  | { cls: 'dns'; kind: FailureKind }
  | { cls: 'connect' }
  | { cls: 'lost' }
  | { cls: 'timeout' }
  | { cls: 'certificate' }
  | { cls: 'tls' };

/** What a Node socket/TLS/DNS error code means; undefined for codes that are none of these. */
export function classifyNetworkCode(code: string | undefined, opts: { dns?: boolean } = {}): NetworkCodeClass | undefined {
  if (!code) return undefined;
  if (DNS_PERMANENT_CODES.has(code)) return { cls: 'dns', kind: 'permanent' };
  // ECONNREFUSED and friends are DNS failures only when they come from the resolver.
  if (opts.dns && DNS_TRANSIENT_CODES.has(code)) return { cls: 'dns', kind: 'transient' };
  if (code.startsWith('EAI_') || code === 'ETIMEOUT' || code === 'ESERVFAIL' || code === 'EREFUSED') {
    return { cls: 'dns', kind: 'transient' };
  }
  if (CERTIFICATE_CODES.has(code)) return { cls: 'certificate' };
  if (TIMEOUT_CODES.has(code)) return { cls: 'timeout' };
  if (code.startsWith('ERR_SSL_') || code.startsWith('ERR_TLS_') || code === 'EPROTO') return { cls: 'tls' };
  if (CONNECT_CODES.has(code)) return { cls: 'connect' };
  if (CONNECTION_LOST_CODES.has(code)) return { cls: 'lost' };
  return undefined;
}
