// The warmup pool: this workspace's mailboxes that take part, external addresses that take warmup
// mail, and the size of the whole pool (other workspaces' addresses stay private: counts only).
import { useEffect, useState } from 'react';
import type { PoolRecipient } from '../../../../shared/domain/warmup';
import { Can } from '../../app/Can';
import { useRecipients } from './recipients-store';
import { ConfirmDialog } from '../../components/Dialog';
import { FormError } from '../../components/FormError';
import { EmptyState, ErrorBox, Loading } from '../../components/status';
import { formatDateTime, formatNumber } from '../../lib/format';
import { PoolRecipientForm } from './PoolRecipientForm';
import { pluralWord } from '../../../../shared/plural';

export function PoolSection(): React.JSX.Element {
  const pool = useRecipients((s) => s.pool);
  const actionError = useRecipients((s) => (s.actionError?.scope === 'pool' ? s.actionError.error : null));
  const { loadPool, removePoolRecipient } = useRecipients.getState();
  const [doomed, setDoomed] = useState<PoolRecipient | null>(null);
  useEffect(() => void loadPool(), [loadPool]);
  if (!pool.data) return pool.error ? <ErrorBox error={pool.error} onRetry={() => void loadPool()} /> : <Loading label="Loading the pool…" />;
  const { mailboxes, external, totals } = pool.data;
  const byProvider = Object.entries(totals.providers).sort((a, b) => b[1] - a[1]);

  return (
    <>
      {pool.error && <ErrorBox error={pool.error} onRetry={() => void loadPool()} />}
      <section className="card" aria-labelledby="pool-totals-h">
        <h2 id="pool-totals-h">The whole pool</h2>
        <p className="muted">Warmup mail goes between pool members, spread across providers. Other workspaces count here but their addresses stay private.</p>
        <ul className="state-counts" data-testid="pool-totals">
          <li>
            <span className="value">{formatNumber(totals.members)}</span> {pluralWord(totals.members, 'member', 'members')}
          </li>
          <li>
            <span className="value">{formatNumber(totals.workspaces)}</span> {pluralWord(totals.workspaces, 'workspace', 'workspaces')}
          </li>
          {byProvider.map(([provider, n]) => (
            <li key={provider}>
              <span className="value">{formatNumber(n)}</span> {provider}
            </li>
          ))}
        </ul>
      </section>
      <section className="card" aria-labelledby="pool-mb-h">
        <h2 id="pool-mb-h">This workspace&apos;s mailboxes in the pool</h2>
        {mailboxes.length === 0 ? (
          <EmptyState title="No mailbox in the pool yet">
            Connect a mailbox under Mailboxes and turn its warmup on: it joins the pool, and Kiln reads where the pool&apos;s mail lands in it.
          </EmptyState>
        ) : (
          <div className="table-wrap">
            <table aria-label="Mailboxes in the pool">
              <thead>
                <tr>
                  <th>Mailbox</th>
                  <th>Provider</th>
                  <th>Readable (IMAP)</th>
                  <th>Warming</th>
                </tr>
              </thead>
              <tbody>
                {mailboxes.map((m) => (
                  <tr key={m.id}>
                    <td>
                      <a href={`#/mailboxes/${encodeURIComponent(m.id)}`}>{m.email}</a>
                    </td>
                    <td>{m.provider}</td>
                    <td>{m.readable ? 'yes' : <span className="muted">no: placement is not seen</span>}</td>
                    <td>{m.warming ? 'yes' : <span className="muted">no</span>}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      <section className="card" aria-labelledby="pool-ext-h">
        <h2 id="pool-ext-h">External pool recipients</h2>
        <p className="muted">Addresses outside Kiln that take warmup mail (Kiln cannot read them, so it sees no placement there).</p>
        <Can call="pool.addRecipient">
          <PoolRecipientForm />
        </Can>
        {actionError && <FormError error={actionError} />}
        {external.length === 0 ? (
          <EmptyState title="No external recipients">
            <Can call="pool.addRecipient" otherwise="None yet.">
              Add an address above to spread warmup mail to a provider none of your mailboxes use.
            </Can>
          </EmptyState>
        ) : (
          <div className="table-wrap">
            <table aria-label="External pool recipients">
              <thead>
                <tr>
                  <th>Address</th>
                  <th>Name</th>
                  <th>Provider</th>
                  <th className="num">Daily cap</th>
                  <th>Added</th>
                  <th>
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {external.map((r) => (
                  <tr key={r.id} data-address={r.address}>
                    <td>{r.address}</td>
                    <td>{r.name ?? <span className="muted">—</span>}</td>
                    <td>{r.provider}</td>
                    <td className="num">{r.dailyCap ?? <span className="muted">default</span>}</td>
                    <td>{formatDateTime(r.createdAt)}</td>
                    <td>
                      <div className="row-actions">
                        <Can call="pool.removeRecipient">
                          <button type="button" onClick={() => setDoomed(r)} aria-label={`Remove ${r.address} from the pool`}>
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
        )}
      </section>
      <ConfirmDialog
        title="Remove from the pool"
        open={doomed !== null}
        danger
        confirmLabel="Remove"
        onClose={() => setDoomed(null)}
        onConfirm={() => doomed && void removePoolRecipient(doomed.id).then(() => setDoomed(null))}
      >
        <p>
          Stop sending warmup mail to <strong>{doomed?.address}</strong>? Mail already planned for it is not sent.
        </p>
      </ConfirmDialog>
    </>
  );
}
