// Renders a template version. Handlebars in a private environment with only the block helpers
// (if, unless, each, with): no partials, no logging, no prototype access. The HTML part is
// HTML-escaped; the subject and text are plain text (not escaped) and the subject may not hold a
// line break after rendering (header injection).
import Handlebars from 'handlebars';
import { convert } from 'html-to-text';
import type { TemplateValues, TemplateVariable } from '../../../shared/domain/template';
import { KilnError } from '../../../shared/errors';

const hbs = Handlebars.create();
hbs.unregisterHelper('log');
hbs.unregisterHelper('lookup');
const knownHelpers = { if: true, unless: true, each: true, with: true, log: false, lookup: false };

export interface TemplateSource {
  subject: string;
  text: string | null;
  html: string | null;
  variables: TemplateVariable[];
}

export interface Rendered {
  subject: string;
  text: string;
  html: string | null;
  textGenerated: boolean;
}

export interface FieldIssue {
  path: string;
  message: string;
}

type Part = 'subject' | 'text' | 'html';

// Compiling is the costly step; a version's sources never change, so they are cached by text.
const cache = new Map<string, Handlebars.TemplateDelegate>();
const CACHE_MAX = 500;

function compiled(source: string, escape: boolean): Handlebars.TemplateDelegate {
  const key = `${escape ? 'h' : 't'}:${source}`;
  let t = cache.get(key);
  if (!t) {
    t = hbs.compile(source, { strict: true, knownHelpersOnly: true, knownHelpers, noEscape: !escape });
    if (cache.size >= CACHE_MAX) cache.delete(cache.keys().next().value!);
    cache.set(key, t);
  }
  return t;
}

function renderPart(part: Part, source: string, values: Record<string, unknown>): string {
  try {
    return compiled(source, part === 'html')(values, {
      allowProtoPropertiesByDefault: false,
      allowProtoMethodsByDefault: false,
      allowCallsToHelperMissing: false,
    });
  } catch (e) {
    throw new KilnError('VALIDATION_FAILED', `The template's ${part} does not render: ${firstLine(e)}`, { fields: [{ path: part, message: firstLine(e) }] });
  }
}

function firstLine(e: unknown): string {
  const line = (e instanceof Error ? e.message : String(e)).split('\n')[0]!.slice(0, 300);
  // Handlebars' strict mode names the context object as "[object Object]": say what it means.
  const m = /^"(.+)" not defined in .* - (\d+):\d+$/.exec(line);
  return m ? `Uses "${m[1]}", which is not a declared variable (line ${m[2]})` : line;
}

/**
 * The declared variables checked against the given values: an undeclared name or a missing required
 * one is a field error under `variables.<name>`. Optional ones not given render as empty text.
 */
export function checkValues(declared: TemplateVariable[], given: TemplateValues, fallback?: (v: TemplateVariable) => string | undefined): Record<string, unknown> {
  const fields: FieldIssue[] = [];
  const known = new Set(declared.map((v) => v.name));
  for (const name of Object.keys(given)) if (!known.has(name)) fields.push({ path: `variables.${name}`, message: 'Not declared by this template' });
  const values: Record<string, unknown> = {};
  for (const v of declared) {
    const value = Object.hasOwn(given, v.name) ? given[v.name] : fallback?.(v);
    if (value === undefined && v.required) fields.push({ path: `variables.${v.name}`, message: 'Required' });
    values[v.name] = value ?? '';
  }
  if (fields.length > 0) throw new KilnError('VALIDATION_FAILED', fields.map((f) => `${f.path}: ${f.message}`).join('; '), { fields });
  return values;
}

/** Render with values already checked by `checkValues`. */
export function renderTemplate(t: TemplateSource, values: Record<string, unknown>): Rendered {
  const subject = renderPart('subject', t.subject, values);
  if (/[\r\n]/.test(subject)) {
    const culprits = Object.entries(values).filter(([, v]) => typeof v === 'string' && /[\r\n]/.test(v)).map(([k]) => ({ path: `variables.${k}`, message: 'Puts a line break in the subject' }));
    const fields = culprits.length > 0 ? culprits : [{ path: 'subject', message: 'Renders with a line break' }];
    throw new KilnError('VALIDATION_FAILED', 'The rendered subject may not hold a line break', { fields });
  }
  const html = t.html === null ? null : renderPart('html', t.html, values);
  if (t.text !== null) return { subject, text: renderPart('text', t.text, values), html, textGenerated: false };
  return { subject, text: html === null ? '' : htmlToText(html), html, textGenerated: true };
}

export function htmlToText(html: string): string {
  return convert(html, { wordwrap: 78, selectors: [{ selector: 'a', options: { hideLinkHrefIfSameAsText: true } }] });
}

/**
 * A new version must render with its own declared variables (samples, or a placeholder): a syntax
 * error, an unknown helper or a variable used but not declared is refused when it is saved, not
 * when mail goes out.
 */
export function checkSource(t: TemplateSource): void {
  const values = checkValues(t.variables, {}, (v) => v.sample ?? 'x');
  if (/[\r\n]/.test(t.subject)) throw new KilnError('VALIDATION_FAILED', 'The subject may not hold a line break', { fields: [{ path: 'subject', message: 'Holds a line break' }] });
  renderTemplate(t, values);
}
