// The SPF include tree as the domain view draws it: for every term, the running count of DNS
// lookups in evaluation order, so the reader sees where the 10-lookup limit is crossed.
import type { SpfCheck, SpfNode, SpfTerm } from '../../../../shared/domain/auth-check';

export interface TermMark {
  /** Lookups counted so far, this term included (null: the term costs none). */
  running: number | null;
  /** This term's lookup is the one past the limit. */
  overLimit: boolean;
}

/** Mechanisms left to right, then modifiers: the order the core walked (and receivers evaluate). */
export const evaluationOrder = (node: SpfNode): SpfTerm[] => [...node.terms.filter((t) => t.kind === 'mechanism'), ...node.terms.filter((t) => t.kind === 'modifier')];

/** Marks keyed by term object; `subtree` is each node's lookups, its includes' included. */
export function spfMarks(check: Pick<SpfCheck, 'tree' | 'limits'>): { terms: Map<SpfTerm, TermMark>; subtree: Map<number, number> } {
  const byId = new Map(check.tree.map((n) => [n.id, n]));
  const terms = new Map<SpfTerm, TermMark>();
  const subtree = new Map<number, number>();
  let running = 0;
  const visit = (node: SpfNode, seen: Set<number>): number => {
    let total = 0;
    for (const t of evaluationOrder(node)) {
      if (t.lookups > 0) {
        running += t.lookups;
        total += t.lookups;
        terms.set(t, { running, overLimit: running > check.limits.lookups && running - t.lookups <= check.limits.lookups });
      } else terms.set(t, { running: null, overLimit: false });
      const child = t.child === null ? undefined : byId.get(t.child);
      if (child && !seen.has(child.id)) total += visit(child, new Set([...seen, child.id]));
    }
    subtree.set(node.id, total);
    return total;
  };
  const root = check.tree.find((n) => n.parent === null);
  if (root) visit(root, new Set([root.id]));
  return { terms, subtree };
}
