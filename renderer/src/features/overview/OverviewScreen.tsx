// Fleet health at a glance: mailboxes by state, today's numbers, and what needs a look.
import { useEffect, useMemo } from 'react';
import { fleetStates, type FleetRow } from '../../../../shared/domain/fleet';
import { useFleet } from '../../stores/fleet';
import { EmptyState, ErrorBox, Loading } from '../../components/status';
import { StateBadge } from '../../components/StateBadge';
import { formatNumber, formatRelative } from '../../lib/format';
import { hrefOf } from '../../app/router';
import { useMailboxEditor } from '../../stores/mailbox-editor';

function totals(rows: FleetRow[]) {
  const t = { planned: 0, sent: 0, inbox: 0, spam: 0, bounced: 0, target: 0 };
  for (const r of rows) for (const k of Object.keys(t) as (keyof typeof t)[]) t[k] += r.today[k];
  return t;
}

export function OverviewScreen(): React.JSX.Element {
  const fleet = useFleet((s) => s.fleet);
  const load = useFleet((s) => s.load);
  const setStateFilter = useFleet((s) => s.setStateFilter);
  const openEditor = useMailboxEditor((s) => s.openNew);
  useEffect(() => void load(), [load]);
  const rows = fleet.data?.mailboxes;
  const today = useMemo(() => totals(rows ?? []), [rows]);

  if (!fleet.data) {
    if (fleet.status === 'error') return <ErrorBox error={fleet.error} onRetry={() => void load()} />;
    return <Loading />;
  }
  const { mailboxes, alerts } = fleet.data;
  return (
    <>
      <div className="page-header">
        <h1>Overview</h1>
      </div>
      {fleet.status === 'error' && <ErrorBox error={fleet.error} onRetry={() => void load()} />}
      {mailboxes.length === 0 ? (
        <EmptyState
          title="Add your first mailbox"
          action={
            <a className="button primary" href={hrefOf({ name: 'mailboxes' })} onClick={() => openEditor()}>
              Add mailbox
            </a>
          }
        >
          Kiln warms mailboxes you connect over SMTP and reads them over IMAP to see where mail lands.
        </EmptyState>
      ) : (
        <>
          <section className="card" aria-labelledby="states-h">
            <h2 id="states-h">Mailboxes by state</h2>
            <ul className="state-counts" data-testid="overview-states">
              {fleetStates.map((state) => {
                const n = mailboxes.filter((m) => m.state === state).length;
                return (
                  <li key={state}>
                    <a href={hrefOf({ name: 'mailboxes' })} onClick={() => setStateFilter(state)} aria-label={`${n} ${state}`}>
                      <span className="value">{n}</span> <StateBadge state={state} />
                    </a>
                  </li>
                );
              })}
            </ul>
          </section>
          <section aria-labelledby="today-h">
            <h2 id="today-h">Today</h2>
            <div className="grid">
              {(
                [
                  ['planned', 'Planned'],
                  ['sent', `Sent of ${formatNumber(today.target)} wanted`],
                  ['inbox', 'Landed in inbox'],
                  ['spam', 'Landed in spam'],
                ] as const
              ).map(([key, label]) => (
                <div className="card stat" key={key} data-testid={`today-${key}`}>
                  <span className="value">{formatNumber(today[key])}</span>
                  <span className="label">{label}</span>
                </div>
              ))}
            </div>
          </section>
          <section className="card" aria-labelledby="alerts-h">
            <h2 id="alerts-h">Alerts</h2>
            {alerts.length === 0 ? (
              <p className="muted">Nothing needs a look: no mailbox is in error, paused by the loop or throttled.</p>
            ) : (
              <ul className="alerts" data-testid="alerts">
                {alerts.map((a) => (
                  <li key={`${a.mailboxId}-${a.code}`}>
                    <span className={`severity-${a.severity}`}>{a.severity}</span>{' '}
                    <a href={hrefOf({ name: 'mailbox', id: a.mailboxId, tab: 'health' })}>{a.email}</a>: {a.reason}{' '}
                    <span className="muted">
                      ({a.code}
                      {a.since ? `, ${formatRelative(a.since)}` : ''})
                    </span>
                  </li>
                ))}
              </ul>
            )}
          </section>
        </>
      )}
    </>
  );
}
