// The TLS rule is about delivery between servers: did the recipient's server receive the mail over
// TLS? Kiln reads that from received copies of each mailbox's mail (the Received field written
// where the copy entered the recipient's server, learned by the domain checks). The submission to
// the mailbox's own server is a different connection and proves nothing here.
import type BetterSqlite3 from 'better-sqlite3';
import type { ComplianceItem } from '../../../shared/domain/health';
import type { Evidence, VerdictState } from '../../../shared/domain/verdict';
import { tlsOfProtocol } from '../checks/auth/transport';
import { iso } from '../util/time';
import { itemOf } from './compliance-item';

const LABEL = 'Mail reaches recipients over TLS';
const FRESH = 30 * 86_400_000;

export function tlsItem(sqlite: BetterSqlite3.Database, workspaceId: string, domain: string, mailboxIds: string[], now: number): ComplianceItem {
  const rows = sqlite
    .prepare(
      `SELECT f.mailbox_id AS mailbox, f.value, f.last_seen_at AS at, b.email FROM auth_facts f JOIN mailboxes b ON b.id = f.mailbox_id
        WHERE f.workspace_id = ? AND f.domain = ? AND f.kind = 'transport' AND f.last_seen_at >= ? ORDER BY f.last_seen_at DESC`,
    )
    .all(workspaceId, domain, now - FRESH) as Array<{ mailbox: string; value: string; at: number; email: string }>;
  // Each mailbox's latest copy decides for it.
  const latest = new Map<string, (typeof rows)[number]>();
  for (const r of rows) if (!latest.has(r.mailbox)) latest.set(r.mailbox, r);
  const evidence: Evidence[] = [...latest.values()].map((r) => ({
    asked: `Received header of a copy of ${r.email}'s mail at its recipient`,
    answered: `with ${r.value}`,
    at: iso(r.at),
  }));
  const kinds = mailboxIds.map((id) => (latest.has(id) ? tlsOfProtocol(latest.get(id)!.value) : 'unknown'));
  const plain = kinds.filter((k) => k === 'plain').length;
  const tls = kinds.filter((k) => k === 'tls').length;
  let state: VerdictState;
  let detail: string;
  if (plain > 0) {
    state = 'bad';
    detail = `${plain} of ${mailboxIds.length} ${mailboxIds.length === 1 ? 'mailbox' : 'mailboxes'}: a recipient's server received the mail without TLS`;
  } else if (tls === mailboxIds.length) {
    state = 'good';
    detail = 'Recipients\u2019 servers received the mail over TLS (Received: … with ESMTPS)';
  } else {
    state = 'unknown';
    detail =
      tls > 0
        ? `${tls} of ${mailboxIds.length} mailboxes seen arriving over TLS; no received copy between servers for the others yet`
        : 'No received copy that crossed between servers yet (a copy delivered on the sender\u2019s own server says nothing of it)';
  }
  return itemOf('tls', LABEL, state, detail, evidence);
}
