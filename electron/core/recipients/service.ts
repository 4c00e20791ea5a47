import type { ParsedInput } from '../../../shared/api/table';
import type { Recipient, RecipientListKind } from '../../../shared/domain/recipient';
import { KilnError } from '../../../shared/errors';
import type { Db } from '../db/connection';
import type { Clock } from '../clock';
import type { EventBus } from '../events/bus';
import type { SuppressionService } from '../suppressions/service';
import { newId } from '../util/ids';
import { iso } from '../util/time';
import { toCsv } from './csv';
import { importRecipients } from './import';
import { providerOf } from '../providers';
import { recipientRepository, toRecipient, type RecipientRow } from './repository';

/** What the recipient list uses. */
export interface RecipientServiceNeeds {
  db: Db;
  clock: Clock;
  bus: EventBus;
  suppressions: Pick<SuppressionService, 'suppressed'>;
}

export function recipientService(deps: RecipientServiceNeeds) {
  const repo = recipientRepository(deps.db.kysely, deps.db.sqlite);
  const changed = (workspaceId: string, kind: string, count: number) => deps.bus.emit(workspaceId, 'recipients.changed', { kind, count });

  return {
    async list(workspaceId: string, input: ParsedInput<'recipients.list'>) {
      const filter = { kind: input.kind, q: input.q || undefined };
      const rows = await repo.page(workspaceId, filter, input.limit + 1, input.cursor);
      const page = rows.slice(0, input.limit);
      return {
        items: page.map(toRecipient),
        nextCursor: rows.length > input.limit ? (page.at(-1)?.id ?? null) : null,
        total: await repo.count(workspaceId, filter),
      };
    },

    async add(workspaceId: string, input: ParsedInput<'recipients.add'>): Promise<Recipient> {
      if ((await deps.suppressions.suppressed(workspaceId, [input.address])).length > 0) {
        throw new KilnError('RECIPIENT_SUPPRESSED', `${input.address} is on this workspace's suppression list`);
      }
      const row: RecipientRow = {
        id: newId('rcp'),
        workspace_id: workspaceId,
        kind: input.kind,
        address: input.address,
        name: input.name || null,
        provider: providerOf(input.address),
        created_at: deps.clock.now(),
      };
      if (!repo.insert(row)) throw new KilnError('CONFLICT', `${input.address} is already a ${input.kind} of this workspace`);
      changed(workspaceId, input.kind, 1);
      return toRecipient(row);
    },

    import: (workspaceId: string, input: ParsedInput<'recipients.import'>) => importRecipients(deps, repo, workspaceId, input),

    async export(workspaceId: string, kind?: RecipientListKind) {
      const rows = await repo.all(workspaceId, kind);
      return {
        filename: `kiln-recipients-${kind ?? 'all'}-${iso(deps.clock.now()).slice(0, 10)}.csv`,
        count: rows.length,
        csv: toCsv(rows.map((r) => [r.address, r.name ?? '', r.kind, r.provider, iso(r.created_at)])),
      };
    },

    async remove(workspaceId: string, id: string): Promise<{ id: string; deleted: true }> {
      const row = await repo.get(workspaceId, id);
      if (!row) throw new KilnError('NOT_FOUND', `No recipient ${id} in this workspace`);
      await repo.remove(workspaceId, id);
      changed(workspaceId, row.kind, 1);
      return { id, deleted: true };
    },
  };
}
export type RecipientService = ReturnType<typeof recipientService>;
