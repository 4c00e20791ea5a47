// Alerts raised by the deliverability checks: each appears once when its condition starts (a new
// listing, failing SPF...) and leaves when it ends. Acknowledging only marks it seen.
import { useEffect } from 'react';
import { Can } from '../../app/Can';
import type { Alert } from '../../../../shared/domain/alert';
import { ErrorBox, Loading } from '../../components/status';
import { formatRelative } from '../../lib/format';
import { useAlerts } from '../../stores/alerts';

const severityWord: Record<Alert['severity'], string> = { critical: 'Critical', warning: 'Warning', info: 'Note' };

export function CheckAlerts(): React.JSX.Element {
  const open = useAlerts((s) => s.open);
  const load = useAlerts((s) => s.load);
  const acknowledge = useAlerts((s) => s.acknowledge);
  const actionError = useAlerts((s) => s.actionError);
  useEffect(() => void load(), [load]);

  return (
    <section className="card" aria-labelledby="check-alerts-h">
      <h2 id="check-alerts-h">Deliverability alerts</h2>
      {actionError && <ErrorBox error={actionError} />}
      {open.status === 'error' && <ErrorBox error={open.error} onRetry={() => void load()} />}
      {!open.data ? (
        open.status !== 'error' && <Loading />
      ) : open.data.length === 0 ? (
        <p className="muted">No open alerts: no new blocklist listing, failing authentication or score drop.</p>
      ) : (
        <ul className="alerts" data-testid="check-alerts">
          {open.data.map((a) => (
            <li key={a.id} data-severity={a.severity} data-kind={a.kind}>
              <span className={`severity severity-${a.severity}`}>{severityWord[a.severity]}</span> <strong>{a.title}</strong>: {a.detail}{' '}
              <span className="muted">({formatRelative(a.raisedAt)})</span>{' '}
              {a.acknowledgedAt ? (
                <span className="muted">seen</span>
              ) : (
                <Can call="alerts.acknowledge">
                  <button type="button" className="link" onClick={() => void acknowledge(a.id)} aria-label={`Mark "${a.title}" as seen`}>
                    Mark as seen
                  </button>
                </Can>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
