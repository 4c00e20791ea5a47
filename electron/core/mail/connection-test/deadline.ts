// The lifetime of one connection test: which stage is running, the single deadline that bounds the whole test, and
// everything that must be closed on every path.
import { performance } from 'node:perf_hooks';
import type { ImapStage, ProtocolTestResult, SmtpStage } from '../../../../shared/domain/mailbox';
import { StageLog, stageResults } from './verdicts';

export const DEFAULT_TEST_TIMEOUT_MS = 20_000;

type AnyStage = SmtpStage | ImapStage;

interface FailureLike<S extends AnyStage> {
  code: string;
  stage: S;
  message: string;
}

/** A failure already expressed as a Kiln failure (not a library error to classify). */
export class StageFailure<F> extends Error {
  constructor(readonly failure: F & { message: string }) {
    super(failure.message);
  }
}

class DeadlineExceeded extends Error {}

export const noop = (): void => undefined;

/** Told each time a test moves on: the stage now running (null once all passed), those passed and those not used. */
export type StageListener<S extends AnyStage = AnyStage> = (running: S | null, passed: readonly S[], notUsed: readonly S[]) => void;

export interface RunOptions<S extends AnyStage, F> {
  stages: readonly S[];
  /** Stages that do not apply to this connection (TLS on security "none"): never run, never "passed". */
  notUsed: readonly S[];
  timeoutMs: number;
  classify: (err: unknown, stage: S) => F;
  timedOut: (stage: S, timeoutMs: number) => F;
  onStage?: StageListener<S> | undefined;
  /** The clock that dates the evidence. */
  now: () => number;
}

/** What the socket helpers need from a run: the time left and a place to register cleanups. */
export interface Lifetime {
  remaining(): number;
  onClose(fn: () => void): void;
}

/** Tracks the running stage, the deadline and everything that must be closed. */
export class Run<S extends AnyStage, F extends FailureLike<S>> implements Lifetime {
  readonly t0 = performance.now();
  readonly deadline: number;
  private current: S;
  /** Index of the furthest stage reached: progress is reported forward only (SMTP over implicit TLS
   *  steps back to `connect` for the greeting after the handshake). */
  private furthest = -1;
  /** While a library runs several stages in one call, tells which one it is in (used when the deadline hits). */
  probe: (() => S) | undefined;
  private readonly closers: Array<() => void> = [];
  readonly stages: readonly S[];
  readonly timeoutMs: number;
  /** What each stage asked and what answered: the evidence of its verdict. */
  readonly log: StageLog<S>;

  constructor(private readonly o: RunOptions<S, F>) {
    this.stages = o.stages;
    this.timeoutMs = o.timeoutMs;
    this.log = new StageLog<S>(o.now);
    this.deadline = Date.now() + o.timeoutMs;
    this.current = o.stages[0] as S;
  }

  /** Stages before index `at` that ran (the not-used ones never do). */
  private ran(at: number): S[] {
    return this.stages.slice(0, Math.max(at, 0)).filter((s) => !this.o.notUsed.includes(s));
  }

  /** The stage being run; on failure it is the classifier's hint where the error does not say. */
  get stage(): S {
    return this.current;
  }

  set stage(next: S) {
    this.current = next;
    const at = this.stages.indexOf(next);
    if (at <= this.furthest) return;
    this.furthest = at;
    this.report(next, this.ran(at));
  }

  private report(running: S | null, passed: readonly S[]): void {
    try {
      this.o.onStage?.(running, passed, this.o.notUsed);
    } catch {
      // a listener's failure must not fail the test it watches
    }
  }

  remaining(): number {
    return Math.max(this.deadline - Date.now(), 1);
  }

  onClose(fn: () => void): void {
    this.closers.push(fn);
  }

  close(): void {
    for (const fn of this.closers.splice(0).reverse()) {
      try {
        fn();
      } catch {
        // closing is best effort
      }
    }
  }

  private duration(): number {
    return Math.round(performance.now() - this.t0);
  }

  private result(failure?: F): ProtocolTestResult & { failure?: F } {
    const stages = stageResults(this.stages, this.o.notUsed, this.log, failure);
    if (!failure) return { ok: true, passed: this.ran(this.stages.length), stages, durationMs: this.duration() };
    // Stages run strictly in order, so every stage before the failing one has passed.
    const passed = this.ran(this.stages.indexOf(failure.stage));
    return { ok: false, stage: failure.stage, code: failure.code, message: failure.message, passed, stages, durationMs: this.duration(), failure };
  }

  /** Runs body within the deadline; on expiry closes everything and reports a timeout at the running stage. */
  async guard(body: () => Promise<void>): Promise<ProtocolTestResult & { failure?: F }> {
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new DeadlineExceeded()), this.timeoutMs);
    });
    const running = body();
    running.catch(noop); // after a timeout the body fails on its own once its sockets are closed
    try {
      await Promise.race([running, expired]);
      this.report(null, this.ran(this.stages.length));
      return this.result();
    } catch (err) {
      if (err instanceof DeadlineExceeded) return this.result(this.o.timedOut(this.probe?.() ?? this.stage, this.timeoutMs));
      if (err instanceof StageFailure) return this.result(err.failure as F);
      return this.result(this.o.classify(err, this.stage));
    } finally {
      clearTimeout(timer);
      this.close();
    }
  }
}

export function timeoutMessage(stage: AnyStage, timeoutMs: number): string {
  return `The server did not respond in time: no answer within ${Math.round(timeoutMs / 100) / 10} s (stage ${stage})`;
}

/** Settles with `promise`, or resolves undefined after `ms`; the timer never outlives the race. */
export async function within<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  try {
    const elapsed = new Promise<undefined>((resolve) => {
      timer = setTimeout(() => resolve(undefined), ms);
    });
    return await Promise.race([promise, elapsed]);
  } finally {
    clearTimeout(timer);
  }
}
