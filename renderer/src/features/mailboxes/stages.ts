// Which stages a connection test is drawn with: an OAuth mailbox's test begins with a stage
// `oauth` (the token refresh and the scopes granted) before the protocol's own.
export function liveStages(known: readonly string[], oauth: boolean, seen: { running: string | null; passed: string[]; notUsed?: string[] } | undefined): string[] {
  const mentioned = seen ? seen.running === 'oauth' || seen.passed.includes('oauth') || (seen.notUsed ?? []).includes('oauth') : false;
  return (oauth || mentioned) && !known.includes('oauth') ? ['oauth', ...known] : [...known];
}

/** A failure at a stage the result does not list (e.g. a timeout before any stage) still has to be said. */
export const unplacedFailure = (r: { ok: boolean; stage?: string; stages: Array<{ stage: string }> }): boolean => !r.ok && !r.stages.some((s) => s.stage === r.stage);
