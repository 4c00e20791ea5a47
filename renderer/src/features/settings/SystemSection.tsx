import { useSettings } from '../../stores/settings';
import { ErrorBox, Loading } from '../../components/status';

/** Where secrets are kept and whether that store answers; version and queue depth. */
export function SystemSection(): React.JSX.Element {
  const status = useSettings((s) => s.status);
  return (
    <section className="card" aria-labelledby="sys-h">
      <h2 id="sys-h">Secret store and system</h2>
      {!status.data ? (
        status.error ? <ErrorBox error={status.error} /> : <Loading />
      ) : (
        <dl className="facts">
          <dt>Secret store</dt>
          <dd data-testid="secret-store">
            {status.data.secretStore.backend} <span className={status.data.secretStore.ok ? 'ok' : 'error'}>{status.data.secretStore.ok ? 'working' : 'not answering'}</span>
            {status.data.secretStore.detail && <span className="muted"> — {status.data.secretStore.detail}</span>}
          </dd>
          <dt>Location</dt>
          <dd className="code">{status.data.secretStore.location}</dd>
          <dt>Version</dt>
          <dd>{status.data.version}</dd>
          <dt>Send queue</dt>
          <dd>
            {status.data.queue.queued} queued, {status.data.queue.retryScheduled} waiting to retry, {status.data.queue.sending} sending
          </dd>
        </dl>
      )}
    </section>
  );
}
