import { useEffect, useState, type FormEvent } from 'react';
import { useRecipients } from '../../stores/recipients';
import { EmptyState, ErrorBox, Loading } from '../../components/status';

/** The warmup pool: this workspace's readable mailboxes plus external addresses that take warmup mail. */
export function PoolSection(): React.JSX.Element {
  const pool = useRecipients((s) => s.pool);
  const { loadPool, addPoolRecipient, removePoolRecipient } = useRecipients.getState();
  const [address, setAddress] = useState('');
  useEffect(() => void loadPool(), [loadPool]);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (await addPoolRecipient(address)) setAddress('');
  };
  if (!pool.data) return pool.error ? <ErrorBox error={pool.error} onRetry={() => void loadPool()} /> : <Loading />;
  const { mailboxes, external, totals } = pool.data;
  return (
    <>
      <p className="muted">
        The whole pool: {totals.members} members in {totals.workspaces} workspaces (
        {Object.entries(totals.providers)
          .map(([p, n]) => `${p} ${n}`)
          .join(', ') || 'none yet'}
        ).
      </p>
      <section className="card">
        <h2>This workspace&apos;s mailboxes in the pool</h2>
        {mailboxes.length === 0 ? (
          <EmptyState title="No mailbox in the pool">Readable mailboxes join the pool when their warmup is turned on.</EmptyState>
        ) : (
          <ul>
            {mailboxes.map((m) => (
              <li key={m.id}>
                {m.email} <span className="muted">({m.provider}{m.warming ? ', warming' : ''}{m.readable ? '' : ', not readable'})</span>
              </li>
            ))}
          </ul>
        )}
      </section>
      <section className="card">
        <h2>External pool recipients</h2>
        <form className="row" onSubmit={(e) => void submit(e)}>
          <label className="field grow">
            <span>Address outside Kiln that takes warmup mail</span>
            <input type="email" value={address} onChange={(e) => setAddress(e.target.value)} required />
          </label>
          <button type="submit">Add to pool</button>
        </form>
        <ul>
          {external.map((r) => (
            <li key={r.id}>
              {r.address} <span className="muted">({r.provider})</span>{' '}
              <button type="button" className="link" onClick={() => void removePoolRecipient(r.id)} aria-label={`Remove ${r.address} from the pool`}>
                remove
              </button>
            </li>
          ))}
        </ul>
      </section>
    </>
  );
}
