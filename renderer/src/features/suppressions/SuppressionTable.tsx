import { useState } from 'react';
import type { Suppression } from '../../../../shared/domain/suppression';
import { Can } from '../../app/Can';
import { ConfirmDialog } from '../../components/Dialog';
import { formatDateTime } from '../../lib/format';
import { messageHref, reasonLabels } from './reasons';
import { useSuppressions } from './suppressions-store';

/** The suppressions, each with its reason, the message that caused it, and a confirmed remove. */
export function SuppressionTable({ items }: { items: Suppression[] }): React.JSX.Element {
  const remove = useSuppressions((s) => s.remove);
  const [doomed, setDoomed] = useState<Suppression | null>(null);
  const [busy, setBusy] = useState(false);
  const confirm = async () => {
    if (!doomed) return;
    setBusy(true);
    await remove(doomed.id);
    setBusy(false);
    setDoomed(null);
  };
  return (
    <>
      <div className="table-wrap">
        <table aria-label="Suppressions">
          <thead>
            <tr>
              <th>Address</th>
              <th>Reason</th>
              <th>Detail</th>
              <th>Caused by</th>
              <th>Since</th>
              <th>
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {items.map((s) => (
              <tr key={s.id} data-address={s.address} data-reason={s.reason}>
                <td className="code">{s.address}</td>
                <td>{reasonLabels[s.reason]}</td>
                <td className="muted">{s.detail ?? '—'}</td>
                <td>
                  {s.messageId ? (
                    <a href={messageHref(s.messageId)} aria-label={`The message that caused the suppression of ${s.address}`}>
                      View message
                    </a>
                  ) : (
                    <span className="muted">—</span>
                  )}
                </td>
                <td>{formatDateTime(s.createdAt)}</td>
                <td>
                  <div className="row-actions">
                    <Can call="suppressions.remove">
                      <button type="button" onClick={() => setDoomed(s)} aria-label={`Remove ${s.address}`}>
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
      <ConfirmDialog title="Remove suppression" open={doomed !== null} danger busy={busy} confirmLabel="Remove" onClose={() => setDoomed(null)} onConfirm={() => void confirm()}>
        <p>
          Remove <strong>{doomed?.address}</strong> from the suppression list? Kiln may send to it again
          {doomed && doomed.reason !== 'manual' ? `, although it was suppressed for a ${reasonLabels[doomed.reason].toLowerCase()}` : ''}.
        </p>
      </ConfirmDialog>
    </>
  );
}
