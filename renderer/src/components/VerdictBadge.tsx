// The one way a verdict is drawn: its word in a pill coloured by state (unknown is grey, never
// green), and its evidence (what was asked, what answered, when) one hover or one click away.
import type { Verdict, VerdictState } from '../../../shared/domain/verdict';
import { formatDateTime } from '../lib/format';
import type { Tone } from '../lib/deliverability';
import { Pill } from './Pill';

const tones: Record<VerdictState, Tone> = { good: 'good', warning: 'warn', bad: 'bad', unknown: 'neutral', na: 'neutral' };
export const verdictTone = (s: VerdictState): Tone => tones[s];

const evidenceLine = (e: Verdict['evidence'][number]): string => `${e.asked} → ${e.answered}${e.at ? ` (${formatDateTime(e.at, true)})` : ''}`;

export function VerdictBadge({ verdict, testId }: { verdict: Verdict; testId?: string }): React.JSX.Element {
  const title = [verdict.detail, ...verdict.evidence.map(evidenceLine)].join('\n');
  return (
    <span className="verdict" data-testid={testId} data-verdict={verdict.state}>
      <Pill tone={tones[verdict.state]} title={title} status={verdict.state}>
        {verdict.label}
      </Pill>
    </span>
  );
}

/** The verdict with its evidence written out, for detail panels. */
export function VerdictDetail({ verdict, testId }: { verdict: Verdict; testId?: string }): React.JSX.Element {
  return (
    <div className="verdict-detail" data-testid={testId} data-verdict={verdict.state}>
      <Pill tone={tones[verdict.state]} status={verdict.state}>
        {verdict.label}
      </Pill>{' '}
      <span>{verdict.detail}</span>
      {verdict.evidence.length > 0 && (
        <details className="evidence">
          <summary>Evidence</summary>
          <ul>
            {verdict.evidence.map((e, i) => (
              <li key={i}>{evidenceLine(e)}</li>
            ))}
          </ul>
        </details>
      )}
    </div>
  );
}
