// DKIM signing keys: Kiln signs mail from a domain once its key's TXT record is seen in DNS. A
// pending key shows the record to publish (with copy buttons) and a Check DNS button; what the
// last check found is drawn as a verdict. Adding makes a 2048-bit key; deleting stops signing.
import { useEffect, useState, type FormEvent } from 'react';
import type { DkimKey } from '../../../../shared/domain/dkim';
import { hrefOf } from '../../app/router';
import { Can } from '../../app/Can';
import { ConfirmDialog } from '../../components/Dialog';
import { CopyField } from '../../components/CopyField';
import { FormError } from '../../components/FormError';
import { EmptyState, ErrorBox, Loading } from '../../components/status';
import { VerdictDetail } from '../../components/VerdictBadge';
import { formatDateTime } from '../../lib/format';
import { useDkim } from './dkim-store';
import { useConfirmRemove } from './useConfirmRemove';

function AddKeyForm(): React.JSX.Element {
  const create = useDkim((s) => s.create);
  const [domain, setDomain] = useState('');
  const [selector, setSelector] = useState('kiln');
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    const ok = await create(domain, selector);
    setBusy(false);
    if (ok) setDomain('');
  };
  return (
    <form className="form" onSubmit={(e) => void submit(e)} aria-label="Add a DKIM key">
      <div className="row">
        <div className="field grow">
          <label htmlFor="dkim-domain">Domain</label>
          <input id="dkim-domain" value={domain} onChange={(e) => setDomain(e.target.value)} required maxLength={253} placeholder="example.com" autoComplete="off" spellCheck={false} />
        </div>
        <div className="field">
          <label htmlFor="dkim-selector">Selector</label>
          <input id="dkim-selector" value={selector} onChange={(e) => setSelector(e.target.value)} maxLength={63} placeholder="kiln" autoComplete="off" spellCheck={false} />
        </div>
        <button type="submit" className="primary" disabled={busy || domain.trim() === ''}>
          {busy ? 'Making the key…' : 'Add DKIM key'}
        </button>
      </div>
    </form>
  );
}

function KeyCard({ k, onDelete }: { k: DkimKey; onDelete: () => void }): React.JSX.Element {
  const check = useDkim((s) => s.check);
  const [checking, setChecking] = useState(false);
  const run = async () => {
    setChecking(true);
    await check(k.id);
    setChecking(false);
  };
  const pending = k.status === 'pending';
  return (
    <li className="card dkim-key" data-domain={k.domain} data-selector={k.selector} data-status={k.status}>
      <div className="page-header">
        <h3>
          {k.domain} <span className="muted">selector {k.selector}</span>{' '}
          <span data-testid="dkim-status">{pending ? 'Pending: not signing yet' : 'Active: signing'}</span>
        </h3>
        <div className="actions">
          <Can call="dkim.check">
            <button type="button" onClick={() => void run()} disabled={checking} aria-label={`Check DNS for the DKIM key ${k.selector} of ${k.domain}`}>
              {checking ? 'Checking…' : 'Check DNS'}
            </button>
          </Can>
          <Can call="dkim.delete">
            <button type="button" onClick={onDelete} aria-label={`Delete the DKIM key ${k.selector} of ${k.domain}`}>
              Delete
            </button>
          </Can>
        </div>
      </div>
      <p className="muted">
        RSA {k.bits}-bit, {k.algorithm}, made {formatDateTime(k.createdAt)}
        {k.activatedAt ? `, signing since ${formatDateTime(k.activatedAt)}` : ''}.{' '}
        {pending ? (
          <>Publish this TXT record: Kiln signs nothing with the key until it sees the record in DNS (it looks again every 10 minutes, or now with Check DNS).</>
        ) : (
          <>
            Keep this TXT record published: receivers verify the signatures with it. <a href={hrefOf({ name: 'deliverability', tab: 'domains', domain: k.domain })}>Check the domain</a>.
          </>
        )}
      </p>
      <VerdictDetail verdict={k.verdict} testId="dkim-verdict" />
      <CopyField label={`Name of the TXT record for ${k.selector}`} value={k.dnsName} />
      <CopyField label={`Value of the TXT record for ${k.selector}`} value={k.dnsValue} multiline testId="dkim-txt" />
    </li>
  );
}

export function DkimSection(): React.JSX.Element {
  const keys = useDkim((s) => s.keys);
  const actionError = useDkim((s) => s.actionError);
  const { load, remove } = useDkim.getState();
  const { doomed, setDoomed, busy, confirm } = useConfirmRemove<DkimKey>(remove);
  useEffect(() => void load(), [load]);
  return (
    <section className="card" aria-labelledby="dkim-h">
      <h2 id="dkim-h">DKIM signing</h2>
      <p className="muted">
        Kiln signs the mail it sends from a domain with that domain&apos;s key, once the key&apos;s TXT record is published. The private key stays in the secret store.
      </p>
      <Can call="dkim.create">
        <AddKeyForm />
      </Can>
      {actionError && <FormError error={actionError} />}
      {keys.error && <ErrorBox error={keys.error} onRetry={() => void load()} />}
      {!keys.data ? (
        !keys.error && <Loading label="Loading DKIM keys…" />
      ) : keys.data.length === 0 ? (
        <EmptyState title="No DKIM keys yet">Add a domain above: Kiln makes the key and shows the TXT record to publish in its DNS.</EmptyState>
      ) : (
        <ul className="plain key-list" data-testid="dkim-keys">
          {keys.data.map((k) => (
            <KeyCard key={k.id} k={k} onDelete={() => setDoomed(k)} />
          ))}
        </ul>
      )}
      <ConfirmDialog title="Delete DKIM key" open={doomed !== null} danger busy={busy} confirmLabel="Delete key" onClose={() => setDoomed(null)} onConfirm={() => void confirm()}>
        <p>
          Kiln stops signing mail from {doomed?.domain} with selector {doomed?.selector} and forgets the key. Mail already sent keeps verifying only while the TXT
          record stays published. This cannot be undone.
        </p>
      </ConfirmDialog>
    </section>
  );
}
