// Daily warmup results as stacked bars, the inbox share as a line, and today's plan.
import { Bar, BarChart, CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { DailyStats } from '../../../../shared/domain/warmup';
import { EmptyState, ErrorBox, Loading } from '../../components/status';
import { formatDay } from '../../lib/format';
import { useMailbox } from '../../stores/mailbox';
import { useChartColors } from './colors';

const inboxShare = (d: DailyStats): number | null => {
  const seen = d.inbox + d.spam + d.missing;
  return seen === 0 ? null : Math.round((d.inbox / seen) * 100);
};

export function HealthTab(): React.JSX.Element {
  const stats = useMailbox((s) => s.stats);
  const plan = useMailbox((s) => s.plan);
  const colors = useChartColors();
  if (!stats.data) return stats.error ? <ErrorBox error={stats.error} /> : <Loading />;
  const days = stats.data.map((d) => ({ ...d, label: formatDay(d.day), share: inboxShare(d) }));
  const any = stats.data.some((d) => d.sent + d.received + d.bounced > 0);
  return (
    <>
      {plan.data && (
        <section className="grid" aria-label="Today">
          {(
            [
              ['Target today', plan.data.target],
              ['Sent', plan.data.sent],
              ['Pending', plan.data.pending],
              ['Failed', plan.data.failed],
              ['Replies', plan.data.replies],
            ] as const
          ).map(([label, value]) => (
            <div className="card stat" key={label}>
              <span className="value">{value}</span>
              <span className="label">{label}</span>
            </div>
          ))}
        </section>
      )}
      {!any ? (
        <EmptyState title="No warmup activity yet">Turn warmup on (above) and adjust the ramp in the Ramp tab; results appear here day by day.</EmptyState>
      ) : (
        <>
          <section className="card" aria-labelledby="daily-h">
            <h2 id="daily-h">Daily results (30 days)</h2>
            <div className="chart" data-testid="health-chart">
              <ResponsiveContainer>
                <BarChart data={days}>
                  <CartesianGrid strokeDasharray="3 3" stroke={colors.border} />
                  <XAxis dataKey="label" stroke={colors.muted} fontSize={12} />
                  <YAxis allowDecimals={false} stroke={colors.muted} fontSize={12} />
                  <Tooltip />
                  <Legend />
                  <Bar dataKey="inbox" name="Inbox" stackId="a" fill={colors.inbox} isAnimationActive={false} />
                  <Bar dataKey="spam" name="Spam" stackId="a" fill={colors.spam} isAnimationActive={false} />
                  <Bar dataKey="missing" name="Not seen" stackId="a" fill={colors.missing} isAnimationActive={false} />
                  <Bar dataKey="bounced" name="Bounced" stackId="a" fill={colors.bounced} isAnimationActive={false} />
                  <Bar dataKey="sent" name="Sent" fill={colors.sent} isAnimationActive={false} />
                </BarChart>
              </ResponsiveContainer>
            </div>
          </section>
          <section className="card" aria-labelledby="share-h">
            <h2 id="share-h">Inbox share of placements seen (%)</h2>
            <div className="chart" data-testid="share-chart">
              <ResponsiveContainer>
                <LineChart data={days}>
                  <CartesianGrid strokeDasharray="3 3" stroke={colors.border} />
                  <XAxis dataKey="label" stroke={colors.muted} fontSize={12} />
                  <YAxis domain={[0, 100]} stroke={colors.muted} fontSize={12} />
                  <Tooltip />
                  <Line dataKey="share" name="Inbox %" stroke={colors.inbox} connectNulls dot={false} isAnimationActive={false} />
                </LineChart>
              </ResponsiveContainer>
            </div>
          </section>
        </>
      )}
    </>
  );
}
