import { api, type MethodName } from './table';
import { scopeRank, type Scope } from './define';

/** What a caller holds: a token's scopes, or the machine's owner (desktop IPC, CLI). */
export interface Grant {
  scopes: readonly Scope[];
  owner?: boolean;
}

/**
 * May this caller run `method`? The one answer, read from the scope each method of the table
 * declares: the core refuses with it and the UI hides what it would refuse.
 */
export function allows(grant: Grant | null | undefined, method: MethodName): boolean {
  if (!grant) return false;
  const scope = api[method].scope;
  if (scope === 'owner') return grant.owner === true;
  return grant.owner === true || grant.scopes.some((s) => scopeRank[s] >= scopeRank[scope]);
}
