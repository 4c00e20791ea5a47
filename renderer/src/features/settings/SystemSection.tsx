// Where secrets live and whether that store answers; the version and the send queue's depth.
import { useSettings } from './settings-store';
import { ErrorBox, Loading } from '../../components/status';
import { formatNumber } from '../../lib/format';

export function SystemSection(): React.JSX.Element {
  const status = useSettings((s) => s.status);
  const loadStatus = useSettings((s) => s.loadStatus);
  const data = status.data;
  return (
    <section className="card" aria-labelledby="sys-h">
      <div className="page-header">
        <h2 id="sys-h">Secret store and system</h2>
        <button type="button" onClick={() => void loadStatus()} disabled={status.status === 'loading'}>
          Refresh
        </button>
      </div>
      {status.error && <ErrorBox error={status.error} onRetry={() => void loadStatus()} />}
      {!data ? (
        !status.error && <Loading label="Loading system status…" />
      ) : (
        <dl className="facts">
          <dt>Secret store</dt>
          <dd data-testid="secret-store">
            {data.secretStore.backend}{' '}
            <span className={data.secretStore.ok ? 'ok' : 'error'}>{data.secretStore.ok ? '— working' : '— not answering: saved passwords cannot be read'}</span>
            {data.secretStore.detail && <span className="muted"> ({data.secretStore.detail})</span>}
          </dd>
          <dt>Location</dt>
          <dd className="code">{data.secretStore.location}</dd>
          <dt>Version</dt>
          <dd>Kiln {data.version}</dd>
          <dt>Send queue</dt>
          <dd>
            {formatNumber(data.queue.queued)} queued, {formatNumber(data.queue.retryScheduled)} waiting to retry, {formatNumber(data.queue.sending)} sending
          </dd>
        </dl>
      )}
    </section>
  );
}
