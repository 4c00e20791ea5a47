// Settings → Webhooks → Delivery log: every delivery of the workspace's webhooks, filtered by
// webhook, status and event type. Each row opens to its attempts (time, HTTP status or error,
// duration) and the exact payload; Redeliver queues it again with the same webhook-id, so a
// receiver that drops repeated ids sees it once.
import { useEffect } from 'react';
import { deliveryStatuses, type WebhookDelivery } from '../../../../shared/domain/webhook';
import { Pill } from '../../components/Pill';
import { EmptyState, ErrorBox, Loading } from '../../components/status';
import { formatDateTime } from '../../lib/format';
import { useWebhookLog, type LogFilters } from './webhook-log-store';
import { useWebhooks } from './webhooks-store';
import { choosable } from './WebhookParts';

function DeliveryRow({ d, url }: { d: WebhookDelivery; url: string }): React.JSX.Element {
  const busy = useWebhookLog((s) => s.redelivering[d.id] ?? false);
  const error = useWebhookLog((s) => (s.actionError?.id === d.id ? s.actionError.error : null));
  const redeliver = useWebhookLog((s) => s.redeliver);
  return (
    <li className="card" data-testid="webhook-log-row" data-id={d.id} data-type={d.type} data-status={d.status}>
      <div className="page-header">
        <div>
          <p>
            <span className="code">{d.type}</span> <Pill tone={d.status === 'delivered' ? 'good' : d.status === 'failed' ? 'bad' : 'neutral'}>{d.status}</Pill>{' '}
            <span className="muted">
              {formatDateTime(d.createdAt, true)} → <span className="code wrap">{url}</span>
            </span>
          </p>
          <p className="muted">
            webhook-id <span className="code">{d.id}</span>
            {d.nextAttemptAt && ` · next try ${formatDateTime(d.nextAttemptAt)}`}
          </p>
        </div>
        <div className="row-actions">
          <button type="button" disabled={busy} onClick={() => void redeliver(d.id)} aria-label={`Redeliver ${d.id}`}>
            Redeliver
          </button>
        </div>
      </div>
      {error && <ErrorBox error={error} />}
      <details className="evidence">
        <summary>
          {d.attempts} {d.attempts === 1 ? 'attempt' : 'attempts'} and payload
        </summary>
        <ol data-testid="webhook-log-attempts">
          {d.attemptLog.map((a, i) => (
            <li key={i}>
              {formatDateTime(a.at, true)}: {a.statusCode !== null ? `HTTP ${a.statusCode}` : 'no answer'}
              {a.error && ` (${a.error})`} in {a.durationMs} ms
            </li>
          ))}
        </ol>
        <pre className="code wrap" data-testid="webhook-log-payload">
          {JSON.stringify(d.payload, null, 2)}
        </pre>
      </details>
    </li>
  );
}

export function WebhookDeliveryLog(): React.JSX.Element {
  const hooks = useWebhooks((s) => s.hooks.data) ?? [];
  const filters = useWebhookLog((s) => s.filters);
  const page = useWebhookLog((s) => s.page);
  const more = useWebhookLog((s) => s.nextCursor !== null);
  const { load, setFilters } = useWebhookLog.getState();
  useEffect(() => void load(), [load]);
  const urlOf = (id: string) => hooks.find((h) => h.id === id)?.url ?? id;
  const filter = <K extends keyof LogFilters>(key: K) => (e: React.ChangeEvent<HTMLSelectElement>) => void setFilters({ [key]: e.target.value } as Partial<LogFilters>);
  return (
    <section className="card" aria-labelledby="webhook-log-h">
      <div className="page-header">
        <h2 id="webhook-log-h">Delivery log</h2>
        <button type="button" onClick={() => void load()} aria-label="Refresh the delivery log">
          Refresh
        </button>
      </div>
      <p className="muted">Every webhook delivery of the last 30 days, newest first, with each attempt and the exact payload.</p>
      <div className="row">
        <div className="field">
          <label htmlFor="whlog-webhook">Webhook</label>
          <select id="whlog-webhook" value={filters.webhookId} onChange={filter('webhookId')}>
            <option value="">All webhooks</option>
            {hooks.map((h) => (
              <option key={h.id} value={h.id}>
                {h.description || h.url}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="whlog-status">Status</label>
          <select id="whlog-status" value={filters.status} onChange={filter('status')}>
            <option value="">Any status</option>
            {deliveryStatuses.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="whlog-type">Event</label>
          <select id="whlog-type" value={filters.type} onChange={filter('type')}>
            <option value="">Any event</option>
            {[...choosable.map(([t]) => t), 'webhook.test' as const].map((t) => (
              <option key={t} value={t}>
                {t}
              </option>
            ))}
          </select>
        </div>
      </div>
      {page.error && <ErrorBox error={page.error} onRetry={() => void load()} />}
      {!page.data ? (
        !page.error && <Loading label="Loading deliveries…" />
      ) : page.data.length === 0 ? (
        <EmptyState title="No deliveries">Nothing matches these filters in the last 30 days.</EmptyState>
      ) : (
        <ul className="plain" data-testid="webhook-log">
          {page.data.map((d) => (
            <DeliveryRow key={d.id} d={d} url={urlOf(d.webhookId)} />
          ))}
        </ul>
      )}
      {more && (
        <button type="button" onClick={() => void load(true)}>
          More
        </button>
      )}
    </section>
  );
}
