// Webhooks: other systems hear about alerts (and, when asked, message and warmup events) through
// signed POSTs. Add one (its signing secret is shown once), choose its events, turn it on or off,
// send a test ping and see the answer, see recent deliveries, delete after confirming. Kiln turns a webhook off after a long run of failures and says why.
import { useEffect, useState } from 'react';
import type { Webhook } from '../../../../shared/domain/webhook';
import { ConfirmDialog } from '../../components/Dialog';
import { FormError } from '../../components/FormError';
import { Pill } from '../../components/Pill';
import { EmptyState, ErrorBox, Loading } from '../../components/status';
import { formatRelative } from '../../lib/format';
import { useWebhooks } from './webhooks-store';
import { AddWebhookForm, Deliveries, EditEvents, NewWebhookDialog } from './WebhookParts';
import { useConfirmRemove } from './useConfirmRemove';
import { plural } from '../../../../shared/plural';

function WebhookItem({ h, onDelete }: { h: Webhook; onDelete: () => void }): React.JSX.Element {
  const busy = useWebhooks((s) => s.busy[h.id] ?? false);
  const result = useWebhooks((s) => s.tests[h.id]);
  const error = useWebhooks((s) => (s.actionError?.scope === h.id ? s.actionError.error : null));
  const showing = useWebhooks((s) => s.deliveries[h.id] !== undefined);
  const { setEnabled, test, loadDeliveries, closeDeliveries } = useWebhooks.getState();
  const [editing, setEditing] = useState(false);
  const name = h.description || h.url;
  return (
    <li className="card webhook" data-url={h.url} data-enabled={h.enabled}>
      <div className="page-header">
        <div>
          <h3 className="code wrap">{h.url}</h3>
          {h.description && <p className="muted">{h.description}</p>}
          <p className="muted">
            {h.enabled ? <Pill tone="good">On</Pill> : <Pill tone={h.disabledReason ? 'bad' : 'neutral'}>Off</Pill>} {h.events.filter((e) => e !== 'webhook.test').join(', ')}
            {h.consecutiveFailures > 0 && ` · ${plural(h.consecutiveFailures, 'failed attempt', 'failed attempts')} since ${formatRelative(h.failingSince)}`}
          </p>
          {h.disabledReason && <p className="error">Kiln turned it off: {h.disabledReason}</p>}
        </div>
        <div className="row-actions">
          <label className="check">
            <input type="checkbox" role="switch" checked={h.enabled} disabled={busy} onChange={(e) => void setEnabled(h.id, e.target.checked)} aria-label={`Webhook ${name} on`} /> On
          </label>
          <button type="button" disabled={busy} onClick={() => void test(h.id)} aria-label={`Send a test to ${name}`}>
            Send test
          </button>
          <button type="button" aria-expanded={editing} onClick={() => setEditing(!editing)} aria-label={`Events of ${name}`}>
            Events
          </button>
          <button type="button" aria-expanded={showing} onClick={() => (showing ? closeDeliveries(h.id) : void loadDeliveries(h.id))} aria-label={`Deliveries of ${name}`}>
            Deliveries
          </button>
          <button type="button" disabled={busy} onClick={onDelete} aria-label={`Delete ${name}`}>
            Delete
          </button>
        </div>
      </div>
      {editing && <EditEvents id={h.id} events={h.events} onDone={() => setEditing(false)} />}
      {error && <ErrorBox error={error} />}
      {result && (
        <p className={result.delivered ? 'ok' : 'error'} role="status" data-testid="webhook-test-result">
          Test ping {result.delivered ? 'delivered' : 'failed'}: {result.statusCode !== null ? `HTTP ${result.statusCode}` : (result.error ?? 'no answer')} in {result.durationMs} ms
          {!result.delivered && result.error && result.statusCode !== null ? ` (${result.error})` : ''}.
        </p>
      )}
      {showing && <Deliveries id={h.id} />}
    </li>
  );
}

export function WebhooksSection(): React.JSX.Element {
  const hooks = useWebhooks((s) => s.hooks);
  const createError = useWebhooks((s) => (s.actionError?.scope === 'create' ? s.actionError.error : null));
  const { load, remove } = useWebhooks.getState();
  const { doomed, setDoomed, busy, confirm } = useConfirmRemove<Webhook>(remove);
  useEffect(() => void load(), [load]);
  return (
    <section className="card" aria-labelledby="webhooks-h">
      <h2 id="webhooks-h">Webhooks</h2>
      <p className="muted">
        Tell other systems (chat, ticketing, your own scripts) when an alert is raised or resolved and, if you ask, what happens to each message and when a
        warmup&apos;s state changes.
      </p>
      <AddWebhookForm />
      {createError && <FormError error={createError} />}
      {hooks.error && <ErrorBox error={hooks.error} onRetry={() => void load()} />}
      {!hooks.data ? (
        !hooks.error && <Loading label="Loading webhooks…" />
      ) : hooks.data.length === 0 ? (
        <EmptyState title="No webhooks yet">Add a receiver URL above; Kiln shows its signing secret once.</EmptyState>
      ) : (
        <ul className="plain" data-testid="webhooks">
          {hooks.data.map((h) => (
            <WebhookItem key={h.id} h={h} onDelete={() => setDoomed(h)} />
          ))}
        </ul>
      )}
      <NewWebhookDialog />
      <ConfirmDialog title="Delete webhook" open={doomed !== null} danger busy={busy} confirmLabel="Delete webhook" onClose={() => setDoomed(null)} onConfirm={() => void confirm()}>
        <p>Kiln stops sending to {doomed?.url} and forgets its deliveries and signing secret. This cannot be undone.</p>
      </ConfirmDialog>
    </section>
  );
}
