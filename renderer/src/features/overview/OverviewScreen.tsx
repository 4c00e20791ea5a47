// Fleet health at a glance: mailboxes by state, today's numbers, and what needs a look.
import { useEffect, useMemo } from 'react';
import { fleetStates, type FleetRow, type TodayFigures } from '../../../../shared/domain/fleet';
import { useFleet } from '../../stores/fleet';
import { useMailboxEditor } from '../../stores/mailboxes';
import { EmptyState, ErrorBox, Loading } from '../../components/status';
import { StateBadge, stateLabel } from '../../components/StateBadge';
import { formatNumber } from '../../lib/format';
import { hrefOf } from '../../app/router';
import { Can } from '../../app/Can';
import { AlertList } from './AlertList';
import { CheckAlerts } from './CheckAlerts';

function StateCounts({ rows }: { rows: FleetRow[] }): React.JSX.Element {
  const counts = useMemo(() => {
    const c = Object.fromEntries(fleetStates.map((s) => [s, 0])) as Record<FleetRow['state'], number>;
    for (const r of rows) c[r.state]++;
    return c;
  }, [rows]);
  return (
    <section className="card" aria-labelledby="states-h">
      <h2 id="states-h">Mailboxes by state</h2>
      <ul className="state-counts" data-testid="overview-states">
        {fleetStates.map((state) => (
          <li key={state} data-state={state} data-count={counts[state]}>
            <a href={hrefOf({ name: 'mailboxes', state })} aria-label={`${counts[state]} ${stateLabel(state)}: show them`}>
              <span className="value">{counts[state]}</span> <StateBadge state={state} />
            </a>
          </li>
        ))}
      </ul>
    </section>
  );
}

// The API's totals, shown as they come: the same figures as each mailbox's row (docs/FIGURES.md).
function Today({ t }: { t: TodayFigures }): React.JSX.Element {
  const cards: Array<[keyof TodayFigures, string]> = [
    ['planned', 'Warmup planned, still to send'],
    ['sent', `Warmup sent of ${formatNumber(t.target)} wanted`],
    ['mailSent', 'Kiln mail sent (all kinds)'],
    ['inbox', 'Landed in inbox'],
    ['spam', 'Landed in spam'],
    ['bounced', 'Bounced'],
  ];
  return (
    <section aria-labelledby="today-h" className="today">
      <h2 id="today-h">Today</h2>
      <div className="grid">
        {cards.map(([key, label]) => (
          <div className="card stat" key={key} data-testid={`today-${key}`}>
            <span className="value">{formatNumber(t[key])}</span>
            <span className="label">{label}</span>
          </div>
        ))}
      </div>
    </section>
  );
}

export function OverviewScreen(): React.JSX.Element {
  const fleet = useFleet((s) => s.fleet);
  const load = useFleet((s) => s.load);
  const openNew = useMailboxEditor((s) => s.openNew);
  useEffect(() => void load(), [load]);

  const header = (
    <div className="page-header">
      <h1>Overview</h1>
    </div>
  );
  if (!fleet.data) {
    return (
      <>
        {header}
        {fleet.status === 'error' ? <ErrorBox error={fleet.error} onRetry={() => void load()} /> : <Loading />}
      </>
    );
  }
  const { mailboxes, alerts, totals } = fleet.data;
  return (
    <>
      {header}
      {fleet.status === 'error' && <ErrorBox error={fleet.error} onRetry={() => void load()} />}
      {mailboxes.length === 0 ? (
        <EmptyState
          title="Add your first mailbox"
          action={
            // Opens the Mailboxes screen with its add dialog already open.
            <Can call="mailboxes.create">
              <a className="button primary" href={hrefOf({ name: 'mailboxes' })} onClick={() => openNew()}>
                Add mailbox
              </a>
            </Can>
          }
        >
          Kiln warms the mailboxes you connect over SMTP, and reads them over IMAP to see where the mail lands.
        </EmptyState>
      ) : (
        <>
          <StateCounts rows={mailboxes} />
          <Today t={totals} />
          <AlertList alerts={alerts} />
          <CheckAlerts />
        </>
      )}
    </>
  );
}
