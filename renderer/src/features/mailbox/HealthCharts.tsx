// Daily results of all Kiln mail this mailbox sent: placements stacked (inbox, spam, other, not
// seen, bounced) beside what was sent, and the inbox share of the placements read, per day. Every
// number is the API's (docs/FIGURES.md); nothing is recomputed here.
import { Bar, BarChart, CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis, type BarShapeProps } from 'recharts';
import type { DailyStats } from '../../../../shared/domain/warmup';
import { formatDay } from '../../lib/format';
import { tooltipStyle, useChartColors } from './colors';
import { plural } from '../../../../shared/plural';

// Plain <rect>s (recharts draws paths): simpler to read for tests and assistive tools alike.
const barShape = (p: BarShapeProps) =>
  p.height !== 0 && p.width > 0 ? <rect className="bar" x={p.x} y={p.height < 0 ? p.y + p.height : p.y} width={p.width} height={Math.abs(p.height)} fill={p.fill} /> : null;

export function HealthCharts({ stats }: { stats: DailyStats[] }): React.JSX.Element {
  const colors = useChartColors();
  const tip = tooltipStyle(colors);
  const days = stats.map((d) => ({ ...d, label: formatDay(d.day), share: d.inboxShare === null ? null : Math.round(d.inboxShare * 100) }));
  const axis = { stroke: colors.muted, fontSize: 12 };
  return (
    <>
      <section className="card" aria-labelledby="daily-h">
        <h2 id="daily-h">Daily results, last {plural(stats.length, 'day', 'days')}</h2>
        <div className="chart" data-testid="health-chart" role="img" aria-label="Kiln mail sent each day (warmup, replies, API, tests), and where it landed: inbox, spam, other, not seen, bounced">
          <ResponsiveContainer>
            <BarChart data={days}>
              <CartesianGrid strokeDasharray="3 3" stroke={colors.border} />
              <XAxis dataKey="label" {...axis} />
              <YAxis allowDecimals={false} {...axis} />
              <Tooltip {...tip} />
              <Legend itemSorter={null} />
              <Bar dataKey="mailSent" name="Sent" fill={colors.sent} shape={barShape} isAnimationActive={false} />
              <Bar dataKey="inbox" name="Inbox" stackId="placed" fill={colors.inbox} shape={barShape} isAnimationActive={false} />
              <Bar dataKey="spam" name="Spam" stackId="placed" fill={colors.spam} shape={barShape} isAnimationActive={false} />
              <Bar dataKey="other" name="Other folder" stackId="placed" fill={colors.accent} shape={barShape} isAnimationActive={false} />
              <Bar dataKey="missing" name="Not seen" stackId="placed" fill={colors.missing} shape={barShape} isAnimationActive={false} />
              <Bar dataKey="bounced" name="Bounced" stackId="placed" fill={colors.bounced} shape={barShape} isAnimationActive={false} />
            </BarChart>
          </ResponsiveContainer>
        </div>
      </section>
      <section className="card" aria-labelledby="share-h">
        <h2 id="share-h">Inbox placement (% of placements read)</h2>
        <div className="chart" data-testid="share-chart" role="img" aria-label="Share of placements read that were in the inbox, per day">
          <ResponsiveContainer>
            <LineChart data={days}>
              <CartesianGrid strokeDasharray="3 3" stroke={colors.border} />
              <XAxis dataKey="label" {...axis} />
              <YAxis domain={[0, 100]} unit="%" {...axis} />
              <Tooltip {...tip} />
              <Line dataKey="share" name="Inbox" unit="%" stroke={colors.inbox} strokeWidth={2} connectNulls isAnimationActive={false} />
            </LineChart>
          </ResponsiveContainer>
        </div>
      </section>
    </>
  );
}
