// The mailbox's activity log, newest first: every event on the mail it sent, live, paged.
import { EmptyState, ErrorBox, Loading } from '../../components/status';
import { activityDetail, activityLabel } from './activity';
import { formatDateTime } from '../../lib/format';
import { useMailbox } from './mailbox-store';
import { plural } from '../../../../shared/plural';

const kindWords: Record<string, string> = { warmup: 'warmup', reply: 'warmup reply', api: 'API', placement: 'placement test', broadcast: 'broadcast' };

export function ActivityTab(): React.JSX.Element {
  const activity = useMailbox((s) => s.activity);
  const loadActivity = useMailbox((s) => s.loadActivity);
  if (!activity.data) return activity.error ? <ErrorBox error={activity.error} onRetry={() => void loadActivity()} /> : <Loading />;
  const { items, nextCursor } = activity.data;
  if (items.length === 0) {
    return (
      <EmptyState title="No activity yet">
        Every send, placement, rescue, reply and bounce of this mailbox&apos;s mail is listed here as it happens. No warmup activity yet? Turn warmup on above and
        shape it in the Ramp tab.
      </EmptyState>
    );
  }
  return (
    <>
      {activity.error && <ErrorBox error={activity.error} onRetry={() => void loadActivity()} />}
      <div className="table-wrap">
        <table aria-label="Activity" data-testid="activity-log">
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">Event</th>
              <th scope="col">Mail</th>
              <th scope="col">Subject</th>
              <th scope="col">Details</th>
            </tr>
          </thead>
          <tbody aria-live="polite">
            {items.map((i) => (
              <tr key={i.id} data-type={i.type} data-kind={i.kind}>
                <td className="nowrap">
                  <time dateTime={i.at}>{formatDateTime(i.at, true)}</time>
                </td>
                <td>{activityLabel(i.type)}</td>
                <td>{kindWords[i.kind] ?? i.kind}</td>
                <td>{i.subject}</td>
                <td className="muted">{activityDetail(i)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p className="actions">
        {nextCursor ? (
          <button type="button" onClick={() => void loadActivity(true)} disabled={activity.status === 'loading'}>
            {activity.status === 'loading' ? 'Loading…' : 'Load more'}
          </button>
        ) : (
          <span className="muted">{plural(items.length, 'event', 'events')}: that is all.</span>
        )}
      </p>
    </>
  );
}
