// Each stage of the connection test, ticked off in order: passed, the one that failed (with the
// server's words and Kiln's code), and those never reached.
import { imapStages, smtpStages, type ConnectionTestResult, type ProtocolTestResult } from '../../../../shared/domain/mailbox';

type Status = 'passed' | 'failed' | 'skipped';

function statusOf(result: ProtocolTestResult, stage: string): Status {
  if (result.passed.includes(stage)) return 'passed';
  return !result.ok && result.stage === stage ? 'failed' : 'skipped';
}

const mark: Record<Status, string> = { passed: '✓', failed: '✗', skipped: '–' };
const word: Record<Status, string> = { passed: 'passed', failed: 'failed', skipped: 'not reached' };

function Protocol({ name, stages, result }: { name: 'smtp' | 'imap'; stages: readonly string[]; result: ProtocolTestResult }): React.JSX.Element {
  return (
    <div>
      <h3>
        {name.toUpperCase()} <span className={result.ok ? 'ok' : 'error'}>{result.ok ? 'works' : 'failed'}</span>{' '}
        <span className="muted">{result.durationMs} ms</span>
      </h3>
      <ul className="stages" aria-label={`${name.toUpperCase()} stages`}>
        {stages.map((stage) => {
          const status = statusOf(result, stage);
          return (
            <li key={stage} className={`stage-${status}`} data-testid={`stage-${name}-${stage}`} data-status={status}>
              <span aria-hidden="true">{mark[status]}</span> {name.toUpperCase()} {stage}: {word[status]}
              {status === 'failed' && (
                <>
                  {' '}
                  — {result.message} <span className="code">({result.code})</span>
                </>
              )}
            </li>
          );
        })}
      </ul>
    </div>
  );
}

export function ConnectionStages({ result }: { result: ConnectionTestResult }): React.JSX.Element {
  return (
    <div className="grid" aria-live="polite" data-testid="connection-result">
      <Protocol name="smtp" stages={smtpStages} result={result.smtp} />
      {result.imap && <Protocol name="imap" stages={imapStages} result={result.imap} />}
    </div>
  );
}
