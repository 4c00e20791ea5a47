// Each stage's verdict, from what the stage asked and what answered: good with that evidence, bad
// with the coded error, na for a stage the connection does not use (TLS on security "none"),
// unknown for a stage never reached.
import { stageWords, type StageResult, type StageStatus } from '../../../../shared/domain/mailbox';
import { verdictOf, type Evidence, type VerdictState } from '../../../../shared/domain/verdict';
import { iso } from '../../util/time';

const PASSED: Record<string, string> = {
  oauth: 'The token endpoint issued an access token carrying the scopes this protocol needs.',
  dns: 'The server name resolved.',
  connect: 'The server accepted the connection and greeted.',
  tls: 'The connection is encrypted, with a certificate Kiln trusts.',
  auth: 'The server accepted the login.',
  send: 'The server accepted the sender address (MAIL FROM); nothing was sent.',
  select: 'INBOX opened read-only.',
};

const NOT_USED = 'Security is set to "none": the connection is not encrypted, so there is no TLS to check.';

/** What each stage asked and what answered, dated by the run's clock. */
export class StageLog<S extends string> {
  private readonly answered = new Map<S, Evidence[]>();
  private readonly asked = new Map<S, string>();
  private readonly qualified = new Map<S, { state: VerdictState; detail: string }>();

  constructor(private readonly now: () => number) {}

  /** The question a stage is asking now: said as the evidence if the stage fails. */
  ask(stage: S, question: string): void {
    this.asked.set(stage, question);
  }

  answer(stage: S, answer: string): void {
    const asked = this.asked.get(stage) ?? stage;
    this.asked.delete(stage);
    this.answered.set(stage, [...this.evidence(stage), { asked, answered: answer, at: iso(this.now()) }]);
  }

  /** A stage that passed but proved less than its name says (a custom provider's scopes): its verdict instead of good. */
  qualify(stage: S, state: VerdictState, detail: string): void {
    this.qualified.set(stage, { state, detail });
  }

  qualification(stage: S): { state: VerdictState; detail: string } | undefined {
    return this.qualified.get(stage);
  }

  evidence(stage: S): Evidence[] {
    return this.answered.get(stage) ?? [];
  }

  /** The stage's evidence with its open question answered by the failure. */
  failed(stage: S, answer: string): Evidence[] {
    return [...this.evidence(stage), { asked: this.asked.get(stage) ?? stage, answered: answer, at: iso(this.now()) }];
  }
}

function result(stage: string, status: StageStatus, state: VerdictState, detail: string, evidence: Evidence[]): StageResult {
  return { stage, status, verdict: verdictOf(state, stageWords[status], detail, evidence) };
}

/** Every stage in order with how it ended; stages run strictly in order, so those before the failing one passed. */
export function stageResults<S extends string>(
  stages: readonly S[],
  notUsed: readonly S[],
  log: StageLog<S>,
  failure?: { stage: S; code: string; message: string },
): StageResult[] {
  const failedAt = failure ? stages.indexOf(failure.stage) : -1;
  return stages.map((stage, i) => {
    if (notUsed.includes(stage)) return result(stage, 'not_used', 'na', NOT_USED, [{ asked: 'security setting', answered: 'none (plaintext)', at: null }]);
    if (failure && i === failedAt) return result(stage, 'failed', 'bad', failure.message, log.failed(stage, `${failure.code}: ${failure.message}`));
    if (failure && i > failedAt) return result(stage, 'not_reached', 'unknown', `Not tested: the ${failure.stage} stage failed first.`, []);
    const q = log.qualification(stage);
    return result(stage, 'passed', q?.state ?? 'good', q?.detail ?? PASSED[stage] ?? 'Passed.', log.evidence(stage));
  });
}
