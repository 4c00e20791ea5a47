import { z } from 'zod';

// The one shape of every status Kiln shows: a DNS check, a blocklist answer, a score part, a
// compliance rule, a connection stage. A verdict is never more sure than its evidence: when
// nothing answered, or nothing was measured, it is `unknown`, which is never drawn green and never
// scored as good. `na` is a rule that does not apply here (TLS on a connection set to use none).

export const verdictStates = ['good', 'warning', 'bad', 'unknown', 'na'] as const;
export type VerdictState = (typeof verdictStates)[number];

/** One piece of what a verdict rests on: what Kiln asked, what answered, and when. */
export const evidence = z.object({
  /** e.g. "TXT example.com", "A 4.3.2.1.zen.spamhaus.org", "IMAP LOGIN at imap.example.com:993". */
  asked: z.string(),
  /** What came back, in words: the record, the answer code, "no answer (timeout)". */
  answered: z.string(),
  /** When it was asked (ISO 8601); null for evidence that is not a point in time (a count over a window). */
  at: z.string().nullable(),
});
export type Evidence = z.infer<typeof evidence>;

export const verdict = z.object({
  state: z.enum(verdictStates),
  /** A word or two: "Pass", "Not listed", "No verdict", "Not used". */
  label: z.string(),
  /** One sentence on why. */
  detail: z.string(),
  evidence: z.array(evidence),
});
export type Verdict = z.infer<typeof verdict>;

export function verdictOf(state: VerdictState, label: string, detail: string, evidence: Evidence[] = []): Verdict {
  return { state, label, detail, evidence };
}

/** The standing of many verdicts together: the worst one, where unknown outranks good (a partial answer is no clean bill). */
const order: Record<VerdictState, number> = { bad: 0, warning: 1, unknown: 2, good: 3, na: 4 };
export function worstState(states: readonly VerdictState[]): VerdictState {
  let worst: VerdictState = 'na';
  for (const s of states) if (order[s] < order[worst]) worst = s;
  return worst;
}

/** True only for a verdict backed by an answer: what may be drawn green or count as good. */
export const isGood = (v: Pick<Verdict, 'state'>): boolean => v.state === 'good';
