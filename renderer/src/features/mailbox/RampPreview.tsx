// The next 30 days of a ramp being edited, as the core computes them (from the mailbox's position, through
// the closed loop). One bar per calendar day: a day sends a whole number of messages, and a day off sends none.
import { Bar, BarChart, CartesianGrid, Cell, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { Output } from '../../../../shared/api/table';
import { FormError } from '../../components/FormError';
import type { Remote } from '../../stores/errors';
import { formatDateTime, formatDay } from '../../lib/format';
import { tooltipStyle, useChartColors } from './colors';
import { plural } from '../../../../shared/plural';

type Preview = Output<'warmup.preview'>;

function loopNote(loop: NonNullable<Preview['loop']>): string {
  const until = formatDateTime(loop.until);
  return loop.state === 'throttled'
    ? `Throttled by the closed loop until ${until}: days planned before then send × ${loop.factor} of the ramp and do not move it on.`
    : `Holding until ${until}: days planned before then send the ramp's volume but do not move it on.`;
}

export function RampPreview({ preview }: { preview: Remote<Preview> }): React.JSX.Element {
  const colors = useChartColors();
  const days = preview.data?.days.map((d) => ({ ...d, label: formatDay(d.date) })) ?? [];
  // The ramp's level by the last day (before the daily variance): what the edits move.
  const level = days.reduce((m, d) => Math.max(m, d.base), 0);
  const sending = days.filter((d) => d.sendingDay !== null).length;
  const total = days.reduce((s, d) => s + d.volume, 0);
  const loop = preview.data?.loop ?? null;
  return (
    <section className="card" aria-labelledby="preview-h" aria-busy={preview.status === 'loading'}>
      <h2 id="preview-h">Next {plural(days.length || 30, 'day', 'days')}</h2>
      {preview.error && <FormError error={preview.error} />}
      <p aria-live="polite">
        <strong data-testid="ramp-preview-last">{preview.data ? `Day ${days.length}: ${level} / day` : '…'}</strong>{' '}
        {preview.data && (
          <span className="muted">
            ({plural(sending, 'sending day', 'sending days')}, {plural(total, 'message', 'messages')} in all)
          </span>
        )}
      </p>
      {loop && (
        <p className="warning" data-testid="ramp-preview-loop">
          {loopNote(loop)}
        </p>
      )}
      <div className="chart" data-testid="ramp-preview" role="img" aria-label="Warmup mail per day over the next 30 days">
        <ResponsiveContainer>
          <BarChart data={days}>
            <CartesianGrid strokeDasharray="3 3" stroke={colors.border} />
            <XAxis dataKey="label" stroke={colors.muted} fontSize={12} />
            <YAxis allowDecimals={false} stroke={colors.muted} fontSize={12} />
            <Tooltip {...tooltipStyle(colors)} />
            <Bar dataKey="volume" name="Warmup mail" fill={colors.accent} isAnimationActive={false}>
              {days.map((d) => (
                <Cell key={d.date} fill={d.loop === 'throttled' ? colors.spam : colors.accent} />
              ))}
            </Bar>
          </BarChart>
        </ResponsiveContainer>
      </div>
      <p className="hint">Days off send nothing: the ramp counts sending days only, and variance moves each day a little around its level.</p>
    </section>
  );
}
