import type { ActivityItem } from '../../../../shared/domain/fleet';
import { EmptyState, ErrorBox, Loading } from '../../components/status';
import { formatDateTime } from '../../lib/format';
import { useMailbox } from '../../stores/mailbox';

/** The event's data in a few words: recipient, placement, folder, error code. */
function detail(item: ActivityItem): string {
  const d = item.data;
  const parts = ['recipient', 'to', 'placement', 'folder', 'code', 'status', 'response'].flatMap((k) => {
    const v = d[k];
    return typeof v === 'string' || typeof v === 'number' ? [`${k === 'recipient' || k === 'to' ? '' : `${k} `}${String(v)}`] : [];
  });
  return parts.join(' · ').slice(0, 200);
}

export function ActivityTab(): React.JSX.Element {
  const activity = useMailbox((s) => s.activity);
  const loadActivity = useMailbox((s) => s.loadActivity);
  if (!activity.data) return activity.error ? <ErrorBox error={activity.error} onRetry={() => void loadActivity()} /> : <Loading />;
  const { items, nextCursor } = activity.data;
  if (items.length === 0) return <EmptyState title="No activity yet">Every send, placement, rescue, reply and bounce of this mailbox&apos;s mail is listed here as it happens.</EmptyState>;
  return (
    <>
      {activity.error && <ErrorBox error={activity.error} />}
      <div className="table-wrap">
        <table aria-label="Activity" data-testid="activity-log">
          <thead>
            <tr>
              <th>When</th>
              <th>Event</th>
              <th>Kind</th>
              <th>Subject</th>
              <th>Details</th>
            </tr>
          </thead>
          <tbody>
            {items.map((i) => (
              <tr key={i.id}>
                <td>{formatDateTime(i.at)}</td>
                <td>{i.type}</td>
                <td>{i.kind}</td>
                <td>{i.subject}</td>
                <td className="muted">{detail(i)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {nextCursor && (
        <p className="actions">
          <button type="button" onClick={() => void loadActivity(true)} disabled={activity.status === 'loading'}>
            Load more
          </button>
        </p>
      )}
    </>
  );
}
