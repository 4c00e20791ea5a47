import { useState } from 'react';
import type { Recipient, RecipientListKind } from '../../../../shared/domain/recipient';
import { Can } from '../../app/Can';
import { useRecipients } from './recipients-store';
import { ConfirmDialog } from '../../components/Dialog';
import { formatDateTime } from '../../lib/format';

/** Seeds or contacts, with a confirmed remove on each row. */
export function RecipientTable({ kind, items, label }: { kind: RecipientListKind; items: Recipient[]; label: string }): React.JSX.Element {
  const remove = useRecipients((s) => s.remove);
  const [doomed, setDoomed] = useState<Recipient | null>(null);
  const [busy, setBusy] = useState(false);
  const confirm = async () => {
    if (!doomed) return;
    setBusy(true);
    await remove(kind, doomed.id);
    setBusy(false);
    setDoomed(null);
  };
  return (
    <>
      <div className="table-wrap">
        <table aria-label={label}>
          <thead>
            <tr>
              <th>Address</th>
              <th>Name</th>
              <th>Provider</th>
              <th>Added</th>
              <th>
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {items.map((r) => (
              <tr key={r.id} data-address={r.address}>
                <td>{r.address}</td>
                <td>{r.name ?? <span className="muted">—</span>}</td>
                <td>{r.provider}</td>
                <td>{formatDateTime(r.createdAt)}</td>
                <td>
                  <div className="row-actions">
                    <Can call="recipients.remove">
                      <button type="button" onClick={() => setDoomed(r)} aria-label={`Remove ${r.address}`}>
                        Remove
                      </button>
                    </Can>
                  </div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <ConfirmDialog title={`Remove ${kind === 'seed' ? 'seed' : 'contact'}`} open={doomed !== null} danger busy={busy} confirmLabel="Remove" onClose={() => setDoomed(null)} onConfirm={() => void confirm()}>
        <p>
          Remove <strong>{doomed?.address}</strong> from the {label}? {kind === 'seed' ? 'It will no longer receive placement tests.' : 'It leaves the contact list.'}
        </p>
      </ConfirmDialog>
    </>
  );
}
