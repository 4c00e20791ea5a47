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
  const label = name.toUpperCase();
  // A failure outside the known stages (e.g. a timeout before any stage) still gets said.
  const unplaced = !result.ok && !stages.includes(result.stage ?? '');
  return (
    <div>
      <h3>
        {label} <span className={result.ok ? 'ok' : 'error'}>{result.ok ? 'works' : 'failed'}</span> <span className="muted">{result.durationMs} ms</span>
      </h3>
      <ul className="stages" role="list" aria-label={`${label} stages`}>
        {stages.map((stage) => {
          const status = statusOf(result, stage);
          return (
            <li key={stage} className={`stage-${status}`} data-testid={`stage-${name}-${stage}`} data-status={status}>
              <span aria-hidden="true">{mark[status]}</span> {label} {stage}: {word[status]}
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
      {unplaced && (
        <p className="error">
          {label} {result.stage ?? ''} failed: {result.message} <span className="code">({result.code})</span>
        </p>
      )}
    </div>
  );
}

/** Stays mounted so screen readers hear the result when it arrives (aria-live). */
export function ConnectionStages({ result, testing }: { result: ConnectionTestResult | null; testing: boolean }): React.JSX.Element {
  return (
    <div aria-live="polite" data-testid="connection-result">
      {testing && (
        <p className="muted" role="status">
          Testing the connection…
        </p>
      )}
      {result && (
        <div className="grid">
          <Protocol name="smtp" stages={smtpStages} result={result.smtp} />
          {result.imap ? <Protocol name="imap" stages={imapStages} result={result.imap} /> : <p className="muted">IMAP not set up: Kiln cannot see where this mailbox&apos;s mail lands.</p>}
        </div>
      )}
    </div>
  );
}
