// Alerts from the deliverability checks, open or resolved: each raised once when its condition
// started and resolved once when it ended. "Mark as seen" only acknowledges; the alert stays open
// until its condition ends.
import { useEffect } from 'react';
import { Can } from '../../app/Can';
import type { Alert } from '../../../../shared/domain/alert';
import { hrefOf } from '../../app/router';
import { Pill } from '../../components/Pill';
import { EmptyState, ErrorBox, Loading } from '../../components/status';
import { formatDateTime, formatRelative } from '../../lib/format';
import { useAlerts, type AlertFilter } from '../../stores/alerts';

const severityWord: Record<Alert['severity'], string> = { critical: 'Critical', warning: 'Warning', info: 'Note' };
const filters: Array<[AlertFilter, string]> = [
  ['open', 'Open'],
  ['resolved', 'Resolved'],
  ['all', 'All'],
];
const emptyWords: Record<AlertFilter, string> = {
  open: 'Nothing needs a look: no new blocklist listing, failing authentication or score drop.',
  resolved: 'No alert has been resolved yet.',
  all: 'No alert has been raised yet. Kiln raises one when a check changes for the worse (the first check of anything is silent).',
};

function Where({ a }: { a: Alert }): React.JSX.Element | null {
  if (a.mailboxId) return <a href={hrefOf({ name: 'mailbox', id: a.mailboxId, tab: 'health' })}>the mailbox</a>;
  if (a.domain) return <a href={hrefOf({ name: 'deliverability', tab: 'domains', domain: a.domain })}>{a.domain}</a>;
  if (a.kind === 'blocklist.listed') return <a href={hrefOf({ name: 'deliverability', tab: 'blocklists' })}>blocklists</a>;
  return null;
}

export function AlertsTab(): React.JSX.Element {
  const list = useAlerts((s) => s.list);
  const filter = useAlerts((s) => s.filter);
  const actionError = useAlerts((s) => s.actionError);
  const { loadList, acknowledge } = useAlerts.getState();
  useEffect(() => void loadList(), [loadList]);

  return (
    <section className="card" aria-labelledby="alerts-tab-h">
      <div className="page-header">
        <h2 id="alerts-tab-h">Alerts</h2>
        <div className="row" role="group" aria-label="Show alerts">
          {filters.map(([f, label]) => (
            <button key={f} type="button" aria-pressed={filter === f} onClick={() => void loadList(f)}>
              {label}
            </button>
          ))}
        </div>
      </div>
      {actionError && <ErrorBox error={actionError} />}
      {list.error && <ErrorBox error={list.error} onRetry={() => void loadList()} />}
      {!list.data ? (
        !list.error && <Loading />
      ) : list.data.items.length === 0 ? (
        <EmptyState title={filter === 'open' ? 'No open alerts' : 'No alerts'}>{emptyWords[filter]}</EmptyState>
      ) : (
        <>
          <ul className="alert-list" data-testid="alert-list" aria-live="polite">
            {list.data.items.map((a) => (
              <li key={a.id} data-kind={a.kind} data-state={a.state} data-severity={a.severity}>
                <div className="alert-head">
                  <span className={`severity severity-${a.severity}`}>{severityWord[a.severity]}</span> <strong>{a.title}</strong>{' '}
                  {a.state === 'open' ? <Pill tone="warn">Open</Pill> : <Pill tone="good">Resolved</Pill>}
                </div>
                <p className="alert-detail">{a.detail}</p>
                <p className="muted">
                  Raised <time dateTime={a.raisedAt} title={formatDateTime(a.raisedAt)}>{formatRelative(a.raisedAt)}</time>
                  {a.resolvedAt && (
                    <>
                      , resolved <time dateTime={a.resolvedAt} title={formatDateTime(a.resolvedAt)}>{formatRelative(a.resolvedAt)}</time>
                    </>
                  )}
                  {(a.mailboxId || a.domain || a.kind === 'blocklist.listed') && (
                    <>
                      {' · '}
                      <Where a={a} />
                    </>
                  )}
                  {' · '}
                  {a.acknowledgedAt ? (
                    <span>seen {formatRelative(a.acknowledgedAt)}</span>
                  ) : (
                    <Can call="alerts.acknowledge" otherwise={<span className="muted">not seen yet</span>}>
                      <button type="button" className="link" onClick={() => void acknowledge(a.id)} aria-label={`Mark "${a.title}" as seen`}>
                        Mark as seen
                      </button>
                    </Can>
                  )}
                </p>
              </li>
            ))}
          </ul>
          {list.data.nextCursor && (
            <p className="actions">
              <button type="button" onClick={() => void loadList(filter, true)} disabled={list.status === 'loading'}>
                Load more
              </button>
            </p>
          )}
        </>
      )}
    </section>
  );
}
