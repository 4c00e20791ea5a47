// Field errors out of an API error, for forms: the core sends `details.fields` as
// `{ path: 'smtp.port', message }`; raw zod issues (`path` as an array) are read too.
import type { AppError } from '../stores/errors';

export interface FieldIssue {
  /** Dotted path into the request body, e.g. `smtp.port` or `ramp.dailyMax`. */
  path: string;
  message: string;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

function issueOf(v: unknown): FieldIssue | null {
  if (!isRecord(v) || typeof v.message !== 'string') return null;
  const path = Array.isArray(v.path) ? v.path.map(String).join('.') : typeof v.path === 'string' ? v.path : '';
  return { path, message: v.message };
}

export function fieldIssues(error: AppError | null | undefined): FieldIssue[] {
  const d = error?.details;
  const list = Array.isArray(d) ? d : isRecord(d) ? (Array.isArray(d.fields) ? d.fields : Array.isArray(d.issues) ? d.issues : []) : [];
  return list.map(issueOf).filter((i): i is FieldIssue => i !== null);
}

/** The first message for a field or anything under it (`smtp` matches `smtp.port`), or null. */
export function issueAt(issues: FieldIssue[], path: string): string | null {
  return issues.find((i) => i.path === path || i.path.startsWith(`${path}.`))?.message ?? null;
}

/** "SMTP port", "ramp › daily max": a path as a person reads it. */
export function pathLabel(path: string): string {
  return path
    .split('.')
    .map((p) => p.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase())
    .map((p) => (p === 'smtp' || p === 'imap' ? p.toUpperCase() : p))
    .join(' › ');
}
