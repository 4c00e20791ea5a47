// Tag=value lists (RFC 6376 §3.2), the syntax of DKIM keys and signatures, DMARC, MTA-STS,
// TLS-RPT and BIMI records: `v=DKIM1; k=rsa; p=MIIB...`. Pure.
import type { AuthProblem } from '../../../../shared/domain/auth-check';

export interface TagList {
  /** Tag names lower-cased, in order of appearance; values trimmed. */
  tags: Map<string, string>;
  order: string[];
  /** Syntax problems (a tag without `=`, a bad name, a duplicate). */
  errors: string[];
}

const TAG_NAME = /^[a-z][a-z0-9_]*$/i;

export function parseTagList(text: string): TagList {
  const tags = new Map<string, string>();
  const order: string[] = [];
  const errors: string[] = [];
  for (const part of text.split(';')) {
    const spec = part.trim();
    if (spec === '') continue; // a trailing ";" is allowed
    const eq = spec.indexOf('=');
    if (eq < 0) {
      errors.push(`"${spec}" is not a tag=value pair`);
      continue;
    }
    const name = spec.slice(0, eq).trim().toLowerCase();
    const value = spec.slice(eq + 1).replace(/\s+/g, ' ').trim();
    if (!TAG_NAME.test(name)) {
      errors.push(`"${spec.slice(0, eq).trim()}" is not a valid tag name`);
      continue;
    }
    if (tags.has(name)) {
      errors.push(`tag ${name}= appears twice`);
      continue;
    }
    tags.set(name, value);
    order.push(name);
  }
  return { tags, order, errors };
}

/** Records among TXT answers that start with `v=<version>` (case-insensitive, then `;`, space or end). */
export function recordsWithVersion(values: string[], version: string): string[] {
  const re = new RegExp(`^\\s*v\\s*=\\s*${version}\\s*(;|$)`, 'i');
  return values.filter((v) => re.test(v));
}

export const problem = (code: string, severity: AuthProblem['severity'], message: string): AuthProblem => ({ code, severity, message });
