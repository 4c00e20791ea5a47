// Each stage of the connection test, ticked off in order: live while it runs (passed, not used,
// running, waiting), then each stage's verdict (passed, failed with the server's words and Kiln's
// code, not used, not reached) drawn as a VerdictBadge, its evidence on hover. "Not used" (TLS on a
// connection set to security "none") is never drawn green. An OAuth mailbox's stage `oauth` is
// drawn like the others, first.
import { imapStages, smtpStages, stageWords, type ConnectionTestResult, type ProtocolTestResult, type StageStatus } from '../../../../shared/domain/mailbox';
import { VerdictBadge } from '../../components/VerdictBadge';
import type { TestProgress } from '../../stores/mailboxes';
import { liveStages, unplacedFailure } from './stages';

type Live = 'passed' | 'not_used' | 'running' | 'waiting';

const mark: Record<StageStatus | Live, string> = { passed: '✓', failed: '✗', not_used: '–', not_reached: '–', running: '…', waiting: '·' };
const liveWord: Record<Live, string> = { passed: stageWords.passed, not_used: stageWords.not_used, running: 'testing', waiting: 'waiting' };
const cssOf = (s: StageStatus | Live): string => `stage-${s === 'not_used' || s === 'not_reached' ? 'skipped' : s}`;

function StageItem({ name, stage, status, children }: { name: 'smtp' | 'imap'; stage: string; status: StageStatus | Live; children: React.ReactNode }): React.JSX.Element {
  return (
    <li className={cssOf(status)} data-testid={`stage-${name}-${stage}`} data-status={status}>
      <span aria-hidden="true">{mark[status]}</span> {name.toUpperCase()} {stage}: {children}
    </li>
  );
}

function FinalStages({ name, result }: { name: 'smtp' | 'imap'; result: ProtocolTestResult }): React.JSX.Element {
  return (
    <ul className="stages" role="list" aria-label={`${name.toUpperCase()} stages`}>
      {result.stages.map((s) => (
        <StageItem key={s.stage} name={name} stage={s.stage} status={s.status}>
          <VerdictBadge verdict={s.verdict} testId={`verdict-${name}-${s.stage}`} />
          {s.status === 'failed' && (
            <>
              {' '}
              — {result.message} <span className="code">({result.code})</span>
            </>
          )}
        </StageItem>
      ))}
    </ul>
  );
}

/** While the test runs: what has passed so far and the stage being tried. */
function Running({ name, known, oauth, progress }: { name: 'smtp' | 'imap'; known: readonly string[]; oauth: boolean; progress: TestProgress['smtp'] }): React.JSX.Element {
  const stages = liveStages(known, oauth, progress);
  const statusOf = (stage: string): Live =>
    progress?.notUsed?.includes(stage) ? 'not_used' : progress?.passed.includes(stage) ? 'passed' : progress?.running === stage ? 'running' : 'waiting';
  return (
    <div>
      <h3>
        {name.toUpperCase()} <span className="muted">{progress ? 'testing…' : 'waiting'}</span>
      </h3>
      <ul className="stages" role="list" aria-label={`${name.toUpperCase()} stages`}>
        {stages.map((stage) => (
          <StageItem key={stage} name={name} stage={stage} status={statusOf(stage)}>
            {liveWord[statusOf(stage)]}
          </StageItem>
        ))}
      </ul>
    </div>
  );
}

function Protocol({ name, result }: { name: 'smtp' | 'imap'; result: ProtocolTestResult }): React.JSX.Element {
  const label = name.toUpperCase();
  // A failure outside the listed stages (e.g. a timeout before any stage) still gets said.
  const unplaced = unplacedFailure(result);
  return (
    <div>
      <h3>
        {label} <span className={result.ok ? 'ok' : 'error'}>{result.ok ? 'works' : 'failed'}</span> <span className="muted">{result.durationMs} ms</span>
      </h3>
      <FinalStages name={name} result={result} />
      {unplaced && (
        <p className="error">
          {label} {result.stage ?? ''} failed: {result.message} <span className="code">({result.code})</span>
        </p>
      )}
    </div>
  );
}

/** Stays mounted so screen readers hear the result when it arrives (aria-live). */
export function ConnectionStages({ result, testing, progress, oauth = false }: { result: ConnectionTestResult | null; testing: boolean; progress: TestProgress; oauth?: boolean }): React.JSX.Element {
  return (
    <div aria-live="polite" data-testid="connection-result">
      {testing && (
        <>
          <p className="muted" role="status">
            Testing the connection…
          </p>
          <div className="grid" data-testid="connection-progress">
            <Running name="smtp" known={smtpStages} oauth={oauth} progress={progress.smtp} />
            {progress.imap && <Running name="imap" known={imapStages} oauth={oauth} progress={progress.imap} />}
          </div>
        </>
      )}
      {result && (
        <div className="grid">
          <Protocol name="smtp" result={result.smtp} />
          {result.imap ? <Protocol name="imap" result={result.imap} /> : <p className="muted">IMAP not set up: Kiln cannot see where this mailbox&apos;s mail lands.</p>}
        </div>
      )}
    </div>
  );
}
