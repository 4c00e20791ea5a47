// DKIM signing keys per sending domain. The private key is generated here (RSA 2048) or imported,
// kept in the secret store, and handed to nodemailer for each message from that domain; the API
// only ever shows the public half and the TXT record to publish. Signing options are cached: the
// dispatcher asks for every message.
import crypto from 'node:crypto';
import type { DkimKey } from '../../../shared/domain/dkim';
import { KilnError } from '../../../shared/errors';
import type { DkimKeyRow } from '../db/schema';
import type { Deps } from '../deps';
import { newId } from '../util/ids';
import { iso } from '../util/time';

export interface DkimSigning {
  domainName: string;
  keySelector: string;
  privateKey: string;
}

const toKey = (r: DkimKeyRow): DkimKey => ({
  id: r.id,
  domain: r.domain,
  selector: r.selector,
  algorithm: 'rsa-sha256',
  bits: r.bits,
  dnsName: `${r.selector}._domainkey.${r.domain}`,
  dnsValue: `v=DKIM1; k=rsa; p=${r.public_key}`,
  createdAt: iso(r.created_at),
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

export function dkimService(deps: Deps) {
  const db = deps.db.kysely;
  const cache = new Map<string, Promise<DkimSigning | null>>();
  const cacheKey = (workspaceId: string, domain: string) => `${workspaceId}\u0000${domain}`;

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

    /** nodemailer's `dkim` option for mail from `domain`, or null when the domain signs nothing. */
    signing(workspaceId: string, domain: string): Promise<DkimSigning | null> {
      const k = cacheKey(workspaceId, domain.toLowerCase());
      let hit = cache.get(k);
      if (!hit) {
        hit = (async () => {
          const row = await db.selectFrom('dkim_keys').selectAll().where('workspace_id', '=', workspaceId).where('domain', '=', domain.toLowerCase()).executeTakeFirst();
          if (!row) return null;
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
