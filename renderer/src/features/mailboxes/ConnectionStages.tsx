// Each stage of the connection test, ticked off in order: live while it runs (passed, running,
// waiting), then passed, the one that failed (with the server's words and Kiln's code), and those
// never reached.
import { imapStages, smtpStages, type ConnectionTestResult, type ProtocolTestResult } from '../../../../shared/domain/mailbox';
import type { TestProgress } from '../../stores/mailboxes';

type Status = 'passed' | 'failed' | 'skipped' | 'running' | 'waiting';

function statusOf(result: ProtocolTestResult, stage: string): Status {
  if (result.passed.includes(stage)) return 'passed';
  return !result.ok && result.stage === stage ? 'failed' : 'skipped';
}

const mark: Record<Status, string> = { passed: '✓', failed: '✗', skipped: '–', running: '…', waiting: '·' };
const word: Record<Status, string> = { passed: 'passed', failed: 'failed', skipped: 'not reached', running: 'testing', waiting: 'waiting' };

interface StageListProps {
  name: 'smtp' | 'imap';
  stages: readonly string[];
  statusOf: (stage: string) => Status;
  /** Said after a failed stage: the server's words and Kiln's code. */
  failure?: ProtocolTestResult;
}

function StageList({ name, stages, statusOf, failure }: StageListProps): React.JSX.Element {
  const label = name.toUpperCase();
  return (
    <ul className="stages" role="list" aria-label={`${label} stages`}>
      {stages.map((stage) => {
        const status = statusOf(stage);
        return (
          <li key={stage} className={`stage-${status}`} data-testid={`stage-${name}-${stage}`} data-status={status}>
            <span aria-hidden="true">{mark[status]}</span> {label} {stage}: {word[status]}
            {status === 'failed' && failure && (
              <>
                {' '}
                — {failure.message} <span className="code">({failure.code})</span>
              </>
            )}
          </li>
        );
      })}
    </ul>
  );
}

/** While the test runs: what has passed so far and the stage being tried. */
function Running({ name, stages, progress }: { name: 'smtp' | 'imap'; stages: readonly string[]; progress: TestProgress['smtp'] }): React.JSX.Element {
  return (
    <div>
      <h3>
        {name.toUpperCase()} <span className="muted">{progress ? 'testing…' : 'waiting'}</span>
      </h3>
      <StageList name={name} stages={stages} statusOf={(stage) => (progress?.passed.includes(stage) ? 'passed' : progress?.running === stage ? 'running' : 'waiting')} />
    </div>
  );
}

function Protocol({ name, stages, result }: { name: 'smtp' | 'imap'; stages: readonly string[]; result: ProtocolTestResult }): React.JSX.Element {
  const label = name.toUpperCase();
  // A failure outside the known stages (e.g. a timeout before any stage) still gets said.
  const unplaced = !result.ok && !stages.includes(result.stage ?? '');
  return (
    <div>
      <h3>
        {label} <span className={result.ok ? 'ok' : 'error'}>{result.ok ? 'works' : 'failed'}</span> <span className="muted">{result.durationMs} ms</span>
      </h3>
      <StageList name={name} stages={stages} statusOf={(stage) => statusOf(result, stage)} failure={result} />
      {unplaced && (
        <p className="error">
          {label} {result.stage ?? ''} failed: {result.message} <span className="code">({result.code})</span>
        </p>
      )}
    </div>
  );
}

/** Stays mounted so screen readers hear the result when it arrives (aria-live). */
export function ConnectionStages({ result, testing, progress }: { result: ConnectionTestResult | null; testing: boolean; progress: TestProgress }): React.JSX.Element {
  return (
    <div aria-live="polite" data-testid="connection-result">
      {testing && (
        <>
          <p className="muted" role="status">
            Testing the connection…
          </p>
          <div className="grid" data-testid="connection-progress">
            <Running name="smtp" stages={smtpStages} progress={progress.smtp} />
            {progress.imap && <Running name="imap" stages={imapStages} progress={progress.imap} />}
          </div>
        </>
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
