// The health score now, the parts it is made of (each with its score, weight and why), and the
// score over time. A part without data is left out and the rest re-weighted, as the core does;
// each part's verdict (unknown when it has no score: never green) is drawn with its evidence.
import { CartesianGrid, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { MailboxHealth } from '../../../../shared/domain/health';
import { ErrorBox, Loading } from '../../components/status';
import { VerdictBadge } from '../../components/VerdictBadge';
import { formatDay } from '../../lib/format';
import { useHealth } from './health-store';
import { tooltipStyle, useChartColors } from './colors';

const scoreWord = (score: number): string => (score >= 80 ? 'Good' : score >= 60 ? 'Fair' : 'Poor');

function ScoreHistory({ history }: { history: MailboxHealth['history'] }): React.JSX.Element {
  const colors = useChartColors();
  const axis = { stroke: colors.muted, fontSize: 12 };
  const days = history.map((d) => ({ label: formatDay(d.day), score: d.score }));
  return (
    <div className="chart chart-small" data-testid="score-chart" role="img" aria-label="Health score per day">
      <ResponsiveContainer>
        <LineChart data={days}>
          <CartesianGrid strokeDasharray="3 3" stroke={colors.border} />
          <XAxis dataKey="label" {...axis} />
          <YAxis domain={[0, 100]} allowDecimals={false} {...axis} />
          <Tooltip {...tooltipStyle(colors)} />
          <Line dataKey="score" name="Score" stroke={colors.accent} strokeWidth={2} dot={history.length < 15} connectNulls isAnimationActive={false} />
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}

export function HealthScore(): React.JSX.Element {
  const health = useHealth((s) => s.health);
  const reload = useHealth((s) => s.reload);
  const h = health.data;
  if (!h) {
    return (
      <section className="card" aria-labelledby="score-h">
        <h2 id="score-h">Health score</h2>
        {health.error ? <ErrorBox error={health.error} onRetry={() => void reload()} /> : <Loading />}
      </section>
    );
  }
  const counted = h.components.filter((c) => c.score !== null).reduce((a, c) => a + c.weight, 0);
  const scored = h.history.filter((d) => d.score !== null).length;
  return (
    <section className="card" aria-labelledby="score-h" data-testid="health-score">
      <h2 id="score-h">Health score</h2>
      {health.error && <ErrorBox error={health.error} onRetry={() => void reload()} />}
      <div className="score-layout">
        <div className="score-now" aria-live="polite">
          {h.score === null ? (
            <>
              <p className="score-value muted" data-testid="score-value">
                Not enough data yet
              </p>
              <p className="hint">The score starts once one of its parts has data: check the domain, scan the blocklists, or let warmup run a few days.</p>
            </>
          ) : (
            <>
              <p className="score-value" data-testid="score-value" data-score={h.score}>
                {h.score}
                <span className="score-of"> / 100</span>
              </p>
              <p className={`score-word score-${scoreWord(h.score).toLowerCase()}`}>{scoreWord(h.score)}</p>
            </>
          )}
        </div>
        <ul className="score-parts" aria-label="Parts of the score" data-testid="score-parts">
          {h.components.map((c) => (
            <li key={c.part} data-part={c.part} data-score={c.score ?? ''} data-verdict={c.verdict.state}>
              <div className="part-head">
                <strong>{c.label}</strong>
                <span className="part-score">
                  <VerdictBadge verdict={c.verdict} /> {c.score === null ? 'no data' : `${c.score} / 100`}
                </span>
              </div>
              {c.score !== null && <meter min={0} max={100} low={60} high={80} optimum={100} value={c.score} aria-label={`${c.label}: ${c.score} of 100`} />}
              <p className="muted part-detail">
                {c.detail}
                <span className="part-weight">
                  {' · '}
                  {c.score === null ? `weight ${c.weight}, left out until it has data` : `weight ${c.weight}${counted > 0 && counted !== 100 ? ` (${Math.round((c.weight / counted) * 100)} % of today's score)` : ''}`}
                </span>
              </p>
            </li>
          ))}
        </ul>
      </div>
      <h3>Score per day</h3>
      {scored === 0 ? <p className="muted">No score stored yet: one is kept per day once there is data.</p> : <ScoreHistory history={h.history} />}
    </section>
  );
}
