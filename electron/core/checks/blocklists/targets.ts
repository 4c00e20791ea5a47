// What a workspace's blocklist scan checks:
// - the domains of its mailboxes (not shared consumer domains such as gmail.com: not the user's to fix);
// - the public addresses of self-hosted SMTP hosts (provider "custom"): for those the submission host
//   is usually the outbound MTA. The big providers' submission hosts are shared front ends whose
//   addresses are not where the mail leaves from, so checking them would only make noise. The
//   outbound IP can still differ (relays, NAT): users add those by hand;
// - the IPs and domains the user added; minus the ones they excluded.
import { isIP, isIPv4, isIPv6 } from 'node:net';
import type { BlocklistKind, TargetSource } from '../../../../shared/domain/blocklist';
import type { DnsResolver } from '../resolver';
import type { StoredConfig } from './repository';

export interface Target {
  value: string;
  kind: BlocklistKind;
  sources: TargetSource[];
}

/** Mailbox domains shared by millions of users: their reputation is the provider's business. */
const SHARED_DOMAINS = new Set([
  'gmail.com', 'googlemail.com', 'outlook.com', 'hotmail.com', 'live.com', 'msn.com', 'yahoo.com', 'ymail.com',
  'aol.com', 'icloud.com', 'me.com', 'zoho.com', 'zohomail.com', 'gmx.com', 'gmx.net', 'mail.com', 'proton.me', 'protonmail.com', 'yandex.com',
]);

/** Addresses no public blocklist lists: loopback, private, link-local, CGNAT, unspecified, multicast. */
export function isPublicIp(ip: string): boolean {
  if (isIPv4(ip)) {
    const [a, b] = ip.split('.').map(Number) as [number, number];
    return !(a === 0 || a === 10 || a === 127 || a >= 224 || (a === 100 && b >= 64 && b <= 127) || (a === 169 && b === 254) || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168));
  }
  if (isIPv6(ip)) {
    const s = ip.toLowerCase();
    if (s === '::' || s === '::1') return false;
    if (s.startsWith('::ffff:')) return isPublicIp(s.slice(7));
    return !/^(f[cd]|fe[89ab]|ff)/.test(s);
  }
  return false;
}

/** `::ffff:192.0.2.1` -> `192.0.2.1`; IPv6 lower-cased. */
export function normaliseIp(ip: string): string {
  const s = ip.toLowerCase();
  return s.startsWith('::ffff:') && isIPv4(s.slice(7)) ? s.slice(7) : s;
}

export interface MailboxRef {
  email: string;
  provider: string;
  smtp_host: string;
}

export async function collectTargets(
  mailboxes: readonly MailboxRef[],
  config: StoredConfig,
  dns: DnsResolver,
  onResolveError: (host: string, code: string) => void,
): Promise<Target[]> {
  const found = new Map<string, Target>();
  const add = (value: string, source: TargetSource) => {
    const v = isIP(value) ? normaliseIp(value) : value.toLowerCase().replace(/\.$/, '');
    const t = found.get(v) ?? { value: v, kind: isIP(v) ? 'ip' : 'domain', sources: [] };
    if (!t.sources.includes(source)) t.sources.push(source);
    found.set(v, t);
  };

  for (const m of mailboxes) {
    const domain = m.email.slice(m.email.lastIndexOf('@') + 1).toLowerCase();
    if (domain && !SHARED_DOMAINS.has(domain)) add(domain, 'mailbox');
  }
  if (config.resolveSmtpHosts) {
    const hosts = [...new Set(mailboxes.filter((m) => m.provider === 'custom').map((m) => m.smtp_host.toLowerCase()))];
    for (const host of hosts) {
      if (isIP(host)) {
        if (isPublicIp(host)) add(host, 'smtp-host');
        continue;
      }
      for (const family of ['a', 'aaaa'] as const) {
        try {
          for (const ip of await dns[family](host)) if (isPublicIp(ip)) add(ip, 'smtp-host');
        } catch (e) {
          const code = (e as NodeJS.ErrnoException).code ?? 'error';
          if (code !== 'ENODATA' && code !== 'ENOTFOUND') onResolveError(host, code);
        }
      }
    }
  }
  for (const t of config.extraTargets) add(t, 'manual');
  for (const x of config.excludedTargets) found.delete(isIP(x) ? normaliseIp(x) : x);
  return [...found.values()].sort((a, b) => (a.kind === b.kind ? a.value.localeCompare(b.value) : a.kind === 'ip' ? -1 : 1));
}
