// What a finished connection test means for the mailbox's stored state. A failed test is recorded
// as a failed send is (status error + lastError), so the fleet, its Error filter and alerts see
// it; a passing test clears what it has just proven wrong.
import type { ConnectionTestResult, MailboxError, ProtocolTestResult } from '../../../shared/domain/mailbox';
import type { DnsResolver } from '../checks/resolver';

type Recorded = Omit<MailboxError, 'at'>;

/** Stages a passing test has exercised end to end: an earlier failure at one of them is proven gone. */
const PROVEN = new Set(['dns', 'connect', 'tls', 'auth', 'select']);

function failureOf(protocol: 'smtp' | 'imap', r: ProtocolTestResult | null): Recorded | null {
  if (!r || r.ok) return null;
  return { protocol, stage: (r.stage ?? 'connect') as Recorded['stage'], code: r.code ?? 'UNKNOWN', message: r.message ?? 'Connection test failed', source: 'connection-test' };
}

/** The error to record (SMTP first: it is the one that stops sending), or null when both passed. */
export function testFailure(r: ConnectionTestResult): Recorded | null {
  return failureOf('smtp', r.smtp) ?? failureOf('imap', r.imap);
}

/** True when a passing test proves the stored error gone: one a test recorded, or a dns/connect/tls/auth/select failure, of a protocol that passed. */
export function clearedBy(r: ConnectionTestResult, last: MailboxError | null): boolean {
  if (!last) return false;
  const result = last.protocol === 'smtp' ? r.smtp : r.imap;
  if (!result?.ok) return false;
  return last.source === 'connection-test' || PROVEN.has(last.stage);
}

/**
 * The dns stage's lookup: through the configured DNS servers when Kiln has some (so a test, like every
 * check, asks only them), else undefined (the system's resolver, as when sending).
 */
export function lookupVia(dns: DnsResolver): ((host: string) => Promise<string[]>) | undefined {
  if (dns.servers.length === 0 || dns.servers[0] === 'system') return undefined;
  return async (host) => {
    const [v4, v6] = await Promise.allSettled([dns.a(host), dns.aaaa(host)]);
    const found = [...(v4.status === 'fulfilled' ? v4.value : []), ...(v6.status === 'fulfilled' ? v6.value : [])];
    if (found.length > 0) return found;
    // Both failed or were empty: the A query's error says why (ENOTFOUND, ETIMEOUT...).
    if (v4.status === 'rejected') throw v4.reason;
    return [];
  };
}
