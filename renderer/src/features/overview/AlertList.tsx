import type { FleetAlert } from '../../../../shared/domain/fleet';
import { hrefOf } from '../../app/router';
import { formatRelative } from '../../lib/format';

const severityWord: Record<FleetAlert['severity'], string> = { critical: 'Critical', warning: 'Warning', info: 'Note' };

/** What needs a look, most severe first, each with its reason and a link to the mailbox. */
export function AlertList({ alerts }: { alerts: FleetAlert[] }): React.JSX.Element {
  return (
    <section className="card" aria-labelledby="alerts-h">
      <h2 id="alerts-h">Alerts</h2>
      {alerts.length === 0 ? (
        <p className="muted">Nothing needs a look: no mailbox is in error, held, throttled or paused by the loop.</p>
      ) : (
        <ul className="alerts" data-testid="alerts">
          {alerts.map((a) => (
            <li key={`${a.mailboxId}-${a.code}`} data-severity={a.severity}>
              <span className={`severity severity-${a.severity}`}>{severityWord[a.severity]}</span>{' '}
              <a href={hrefOf({ name: 'mailbox', id: a.mailboxId, tab: 'health' })}>{a.email}</a>: {a.reason}{' '}
              <span className="muted">
                (<span className="code">{a.code}</span>
                {a.since ? `, ${formatRelative(a.since)}` : ''})
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
