// DKIM signing keys per sending domain. The private key is generated here (RSA 2048) or imported,
// kept in the secret store, and handed to nodemailer for each message from that domain; the API
// only ever shows the public half and the TXT record to publish. A new key is pending, and signs
// nothing, until its TXT record is seen in DNS with the same key (Check DNS, or the re-check of
// pending keys): a signature receivers cannot verify fails DKIM. Once active it stays active (a
// DNS hiccup must not silently stop signing). Signing options are cached: the dispatcher asks for
// every message.
import crypto from 'node:crypto';
import type { DkimKey } from '../../../shared/domain/dkim';
import { verdictOf, type Verdict } from '../../../shared/domain/verdict';
import { KilnError } from '../../../shared/errors';
import type { DkimKeyRow } from '../db/schema';
import type { Db } from '../db/connection';
import type { Clock } from '../clock';
import type { DnsResolver } from '../checks/resolver';
import type { Logger } from '../log';
import type { SecretStore } from '../secrets/secret-store';
import { newId } from '../util/ids';
import { parseJson } from '../util/json';
import { iso, isoOrNull } from '../util/time';
import { checkPublished } from './publish-check';

export interface DkimSigning {
  domainName: string;
  keySelector: string;
  privateKey: string;
}

export interface DkimOptions {
  /** Deadline of the TXT lookup (default 5 s). */
  timeoutMs?: number;
  /** A pending key is asked about again once its last check is this old (injected clock; default 10 min). */
  recheckMs?: number;
}

const dnsName = (r: Pick<DkimKeyRow, 'selector' | 'domain'>) => `${r.selector}._domainkey.${r.domain}`;

const notChecked = (r: DkimKeyRow): Verdict =>
  verdictOf('unknown', 'Not checked', `${dnsName(r)} has not been looked up yet: publish the record, then Check DNS. Kiln does not sign until it is seen.`);

const toKey = (r: DkimKeyRow): DkimKey => ({
  id: r.id,
  domain: r.domain,
  selector: r.selector,
  algorithm: 'rsa-sha256',
  bits: r.bits,
  dnsName: dnsName(r),
  dnsValue: `v=DKIM1; k=rsa; p=${r.public_key}`,
  createdAt: iso(r.created_at),
  status: r.status === 'active' ? 'active' : 'pending',
  activatedAt: isoOrNull(r.activated_at),
  checkedAt: isoOrNull(r.checked_at),
  verdict: parseJson<Verdict>(r.last_check) ?? notChecked(r),
});

/** A PEM private key Kiln can sign with: RSA of at least 1024 bits (2048 recommended). */
function readPrivateKey(pem: string): { key: crypto.KeyObject; bits: number } {
  let key: crypto.KeyObject;
  try {
    key = crypto.createPrivateKey(pem);
  } catch {
    // Never echo the input: it is a private key.
    throw new KilnError('VALIDATION_FAILED', 'privateKey is not a readable PEM private key', { fields: [{ path: 'privateKey', message: 'not a PEM private key' }] });
  }
  const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
  if (key.asymmetricKeyType !== 'rsa' || bits < 1024) {
    throw new KilnError('VALIDATION_FAILED', 'DKIM keys must be RSA of at least 1024 bits (2048 recommended)', { fields: [{ path: 'privateKey', message: 'RSA >= 1024 bits' }] });
  }
  return { key, bits };
}

/** What the DKIM key service uses. */
export interface DkimServiceNeeds {
  db: Db;
  clock: Clock;
  dns: DnsResolver;
  log: Logger;
  secrets: SecretStore;
  secretOf(ref: string): Promise<string>;
}

export function dkimService(deps: DkimServiceNeeds, opts: DkimOptions = {}) {
  const db = deps.db.kysely;
  const cache = new Map<string, Promise<DkimSigning | null>>();
  const cacheKey = (workspaceId: string, domain: string) => `${workspaceId}\u0000${domain}`;
  const recheckMs = opts.recheckMs ?? 600_000;
  let timer: NodeJS.Timeout | null = null;
  let ticking: Promise<number> = Promise.resolve(0);
  let stopped = false;

  /** Look the key's record up; the first sighting of Kiln's key activates it. */
  async function check(row: DkimKeyRow): Promise<DkimKeyRow> {
    const now = deps.clock.now();
    const { published, verdict } = await checkPublished(deps.dns, dnsName(row), row.public_key, { timeoutMs: opts.timeoutMs ?? 5_000, now });
    const activate = published && row.status !== 'active';
    const update = { checked_at: now, last_check: JSON.stringify(verdict), ...(activate ? { status: 'active', activated_at: now } : {}) };
    await db.updateTable('dkim_keys').set(update).where('id', '=', row.id).execute();
    if (activate) {
      cache.delete(cacheKey(row.workspace_id, row.domain));
      deps.log.info({ workspaceId: row.workspace_id, domain: row.domain, selector: row.selector }, 'DKIM record seen: signing starts');
    }
    return { ...row, ...update };
  }

  /** Check every pending key whose last check is older than the re-check interval. */
  async function checkDue(): Promise<number> {
    const now = deps.clock.now();
    const rows = await db.selectFrom('dkim_keys').selectAll().where('status', '=', 'pending').orderBy('created_at').execute();
    let n = 0;
    for (const row of rows) {
      if (stopped) break;
      if (row.checked_at !== null && now - row.checked_at < recheckMs) continue;
      try {
        await check(row);
        n++;
      } catch (err) {
        deps.log.warn({ err, workspaceId: row.workspace_id, domain: row.domain }, 'DKIM record check failed');
      }
    }
    return n;
  }

  return {
    async list(workspaceId: string): Promise<DkimKey[]> {
      const rows = await db.selectFrom('dkim_keys').selectAll().where('workspace_id', '=', workspaceId).orderBy('domain').execute();
      return rows.map(toKey);
    },

    async create(workspaceId: string, input: { domain: string; selector: string; privateKey?: string }): Promise<DkimKey> {
      const exists = await db.selectFrom('dkim_keys').select('id').where('workspace_id', '=', workspaceId).where('domain', '=', input.domain).executeTakeFirst();
      if (exists) throw new KilnError('CONFLICT', `${input.domain} has a DKIM key already: delete it first to replace it`);
      const { key, bits } = input.privateKey ? readPrivateKey(input.privateKey) : (() => {
        const pair = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
        return { key: pair.privateKey, bits: 2048 };
      })();
      const id = newId('dkim');
      const ref = `dkim/${id}`;
      await deps.secrets.set(ref, key.export({ type: 'pkcs8', format: 'pem' }).toString());
      const row: DkimKeyRow = {
        id,
        workspace_id: workspaceId,
        domain: input.domain,
        selector: input.selector,
        bits,
        public_key: crypto.createPublicKey(key).export({ type: 'spki', format: 'der' }).toString('base64'),
        secret_ref: ref,
        created_at: deps.clock.now(),
        status: 'pending',
        activated_at: null,
        checked_at: null,
        last_check: null,
      };
      try {
        await db.insertInto('dkim_keys').values(row).execute();
      } catch (e) {
        await deps.secrets.delete(ref);
        throw e;
      }
      cache.delete(cacheKey(workspaceId, input.domain));
      return toKey(row);
    },

    async remove(workspaceId: string, id: string): Promise<{ id: string; deleted: true }> {
      const row = await db.selectFrom('dkim_keys').selectAll().where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst();
      if (!row) throw new KilnError('NOT_FOUND', `No DKIM key ${id} in this workspace`);
      await db.deleteFrom('dkim_keys').where('id', '=', id).execute();
      await deps.secrets.delete(row.secret_ref);
      cache.delete(cacheKey(workspaceId, row.domain));
      return { id, deleted: true };
    },

    /** Check DNS now for one key's record (the "Check DNS" action). */
    async check(workspaceId: string, id: string): Promise<DkimKey> {
      const row = await db.selectFrom('dkim_keys').selectAll().where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst();
      if (!row) throw new KilnError('NOT_FOUND', `No DKIM key ${id} in this workspace`);
      return toKey(await check(row));
    },

    /** One pass of the re-check of pending keys (tests call it after moving their clock). */
    checkDue(): Promise<number> {
      ticking = ticking.catch(() => 0).then(checkDue);
      return ticking;
    },

    /** Re-check pending keys: a real-time poll asks the injected clock which are due. */
    start(pollMs = 60_000): void {
      if (timer || stopped) return;
      timer = setInterval(() => void this.checkDue().catch((err: unknown) => deps.log.error({ err }, 'DKIM record re-check failed')), pollMs);
      timer.unref?.();
    },

    async stop(): Promise<void> {
      stopped = true;
      if (timer) clearInterval(timer);
      timer = null;
      await ticking.catch(() => undefined);
    },

    /** nodemailer's `dkim` option for mail from `domain`, or null when the domain signs nothing (no key, or a pending one). */
    signing(workspaceId: string, domain: string): Promise<DkimSigning | null> {
      const k = cacheKey(workspaceId, domain.toLowerCase());
      let hit = cache.get(k);
      if (!hit) {
        hit = (async () => {
          const row = await db.selectFrom('dkim_keys').selectAll().where('workspace_id', '=', workspaceId).where('domain', '=', domain.toLowerCase()).executeTakeFirst();
          // A key whose record was never seen would only make the mail fail DKIM.
          if (!row || row.status !== 'active') return null;
          return { domainName: row.domain, keySelector: row.selector, privateKey: await deps.secretOf(row.secret_ref) };
        })();
        // A failed read (secret store down) is not remembered: the next message tries again.
        hit.catch(() => cache.delete(k));
        cache.set(k, hit);
      }
      return hit;
    },
  };
}
export type DkimService = ReturnType<typeof dkimService>;
