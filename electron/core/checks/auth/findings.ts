// What a check found, in words with codes, and the status that follows from it (the worst
// finding wins; see shared/domain/auth-check.ts for what each status means).
import { statusRank, type AuthProblem, type CheckStatus, type DnsRecord } from '../../../../shared/domain/auth-check';
import { lookupProblem, type Answer } from './dns';

/** A check as it is found: its verdict (with the evidence of every lookup) and suggestion are added once the whole report is known. */
export type Found<T> = Omit<T, 'verdict' | 'suggestion'>;

export class Findings {
  readonly problems: AuthProblem[] = [];
  readonly records: DnsRecord[] = [];
  private level: CheckStatus;

  constructor(initial: CheckStatus = 'pass') {
    this.level = initial;
  }

  private raise(s: CheckStatus): void {
    if (statusRank[s] > statusRank[this.level]) this.level = s;
  }

  /** The record is broken (receivers cannot use it) or could not be read. */
  error(code: string, message: string): void {
    this.problems.push({ code, severity: 'error', message });
    this.raise('error');
  }

  /** A requirement is not met. */
  fail(code: string, message: string): void {
    this.problems.push({ code, severity: 'error', message });
    this.raise('fail');
  }

  warn(code: string, message: string): void {
    this.problems.push({ code, severity: 'warning', message });
    this.raise('warn');
  }

  info(code: string, message: string): void {
    this.problems.push({ code, severity: 'info', message });
  }

  /** A failed lookup (timeout, SERVFAIL...): status error with a dns.* code. */
  lookup(name: string, type: string, a: Answer<unknown>): void {
    const p = lookupProblem(name, type, a);
    this.problems.push(p);
    this.raise('error');
  }

  record(name: string, type: string, values: string[]): void {
    if (values.length > 0) this.records.push({ name, type, values });
  }

  /** Nothing to check: only when nothing worse was found. */
  none(): void {
    if (this.level === 'pass') this.level = 'none';
  }

  get status(): CheckStatus {
    return this.level;
  }

  /**
   * The summary is the check's own short statement, never a copy of a problem: the report shows
   * the summary beside the problems, so a headline copied from them read every problem twice.
   */
  base(summary: string) {
    return { status: this.status, summary, problems: this.problems, records: this.records };
  }
}
