// The health score and its parts, the domain's checks, today's plan and where today's mail landed
// (the fleet's figures, as the Overview and the Mailboxes table show them), then the daily charts.
import { useEffect } from 'react';
import { EmptyState, ErrorBox, Loading } from '../../components/status';
import { formatPercent } from '../../lib/format';
import { hasActivity } from './stats';
import { useFleet } from '../../stores/fleet';
import { useMailbox } from './mailbox-store';
import { useHealth } from './health-store';
import { HealthCharts } from './HealthCharts';
import { HealthScore } from './HealthScore';
import { DomainChecks } from './DomainChecks';

function TodayCards({ id }: { id: string }): React.JSX.Element | null {
  const plan = useMailbox((s) => s.plan);
  const row = useFleet((s) => s.fleet.data?.mailboxes.find((m) => m.id === id));
  if (plan.error && !plan.data) return <ErrorBox error={plan.error} />;
  const p = plan.data;
  const today = (n: number | undefined) => (n === undefined ? '…' : String(n));
  const cards: Array<[string, string, string]> = [
    ['inbox-7d', row === undefined ? '…' : formatPercent(row.inboxRate7d), 'Inbox rate, last 7 days (all Kiln mail)'],
    ['inbox-today', today(row?.today.inbox), 'Landed in inbox today'],
    ['spam-today', today(row?.today.spam), 'Landed in spam today'],
    ['bounced-today', today(row?.today.bounced), 'Bounced today'],
    ['target', p ? String(p.target) : '…', p && !p.planned ? 'Target today (not planned yet)' : 'Target today'],
    ['sent', p ? String(p.sent) : '…', 'Warmup sent today'],
    ['pending', p ? String(p.pending) : '…', 'Warmup still to send'],
    ['failed', p ? String(p.failed) : '…', 'Failed'],
    ['replies', p ? String(p.replies) : '…', 'Replies'],
  ];
  return (
    <section className="grid stats-grid" aria-label="Today" aria-live="polite">
      {cards.map(([key, value, label]) => (
        <div className="card stat" key={key} data-testid={`plan-${key}`}>
          <span className="value">{value}</span>
          <span className="label">{label}</span>
        </div>
      ))}
      {p?.reason && <p className="muted span-all">Today: {p.reason}</p>}
    </section>
  );
}

export function HealthTab({ id }: { id: string }): React.JSX.Element {
  const stats = useMailbox((s) => s.stats);
  const open = useMailbox((s) => s.open);
  const openHealth = useHealth((s) => s.open);
  const closeHealth = useHealth((s) => s.close);
  useEffect(() => {
    void openHealth(id);
    return closeHealth;
  }, [openHealth, closeHealth, id]);
  return (
    <>
      <HealthScore />
      <DomainChecks />
      <TodayCards id={id} />
      {!stats.data ? (
        stats.error ? (
          <ErrorBox error={stats.error} onRetry={() => void open(id)} />
        ) : (
          <Loading />
        )
      ) : hasActivity(stats.data) ? (
        <HealthCharts stats={stats.data} />
      ) : (
        <EmptyState title="No mail yet">
          Turn warmup on above, and shape its volume in the Ramp tab: each day&apos;s sends and where they landed show here.
        </EmptyState>
      )}
    </>
  );
}
