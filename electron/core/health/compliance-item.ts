// One compliance rule's item: its status is derived from its verdict, so the two never disagree.
import type { ComplianceItem } from '../../../shared/domain/health';
import { verdictOf, type Evidence, type VerdictState } from '../../../shared/domain/verdict';

type Rule = ComplianceItem['rule'];

export const statusOf: Record<VerdictState, ComplianceItem['status']> = { good: 'ok', warning: 'warn', bad: 'fail', unknown: 'unknown', na: 'n/a' };
export const labelOf: Record<VerdictState, string> = { good: 'Pass', warning: 'Warn', bad: 'Fail', unknown: 'Unknown', na: 'Not applicable' };

export function itemOf(rule: Rule, label: string, state: VerdictState, detail: string, evidence: Evidence[]): ComplianceItem {
  return { rule, label, status: statusOf[state], detail, verdict: verdictOf(state, labelOf[state], detail, evidence) };
}
