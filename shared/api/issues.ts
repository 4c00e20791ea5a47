// Validation messages as a person would write them ("Must be at least 1"), not zod's defaults
// ("Too small: expected number to be >=1"). Messages a schema states itself win over these.
import type { z } from 'zod';
import { plural, pluralWord } from '../plural';

type Issue = Parameters<z.core.$ZodErrorMap>[0];

const typeWords: Record<string, string> = {
  string: 'text',
  number: 'a number',
  int: 'a whole number',
  bigint: 'a whole number',
  boolean: 'true or false',
  array: 'a list',
  object: 'an object',
  date: 'a date',
};

const formatWords: Record<string, string> = {
  email: 'an email address',
  url: 'a URL such as https://example.com/hook',
  ipv4: 'an IPv4 address such as 192.0.2.10',
  ipv6: 'an IPv6 address such as 2001:db8::1',
  uuid: 'a UUID',
  datetime: 'a date and time such as 2026-01-31T09:00:00Z',
  date: 'a date such as 2026-01-31',
  base64: 'base64 text',
};

/** "at least 3 characters", "at least 1 item", "at least 5". */
function bound(origin: string, limit: number | bigint, inclusive: boolean | undefined, word: 'least' | 'most'): string {
  const n = Number(limit);
  if (origin === 'string') return `at ${word} ${plural(n, 'character', 'characters')}`;
  if (origin === 'array' || origin === 'set') return `at ${word} ${plural(n, 'item', 'items')}`;
  if (inclusive === false) return `${word === 'least' ? 'more' : 'less'} than ${n}`;
  return `at ${word} ${n}`;
}

function message(issue: Issue): string | undefined {
  switch (issue.code) {
    case 'invalid_type':
      if (issue.input === undefined) return 'Required';
      return `Must be ${typeWords[issue.expected] ?? issue.expected}`;
    case 'too_small':
      if (issue.origin === 'string' && Number(issue.minimum) === 1) return 'Must not be empty';
      if ((issue.origin === 'array' || issue.origin === 'set') && Number(issue.minimum) === 1) return 'Must list at least one';
      return issue.exact ? `Must be exactly ${bound(issue.origin, issue.minimum, true, 'least').slice('at least '.length)}` : `Must be ${bound(issue.origin, issue.minimum, issue.inclusive, 'least')}`;
    case 'too_big':
      return `Must be ${bound(issue.origin, issue.maximum, issue.inclusive, 'most')}`;
    case 'invalid_format':
      return `Must be ${formatWords[issue.format] ?? 'in the expected format'}`;
    case 'not_multiple_of':
      return `Must be a multiple of ${String(issue.divisor)}`;
    case 'invalid_value':
      return issue.values.length === 1 ? `Must be ${JSON.stringify(issue.values[0])}` : `Must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'unrecognized_keys':
      return `Unknown ${pluralWord(issue.keys.length, 'field', 'fields')}: ${issue.keys.join(', ')}`;
    case 'invalid_union':
      return 'Is not one of the accepted forms';
    case 'invalid_key':
    case 'invalid_element':
      return 'Contains a value that is not valid';
    default:
      return undefined; // custom issues carry their own message
  }
}

/** The one error map for parsing API input: pass it as `schema.safeParse(input, { error: humanError })`. */
export const humanError: z.core.$ZodErrorMap = (issue) => message(issue);

const capitalised = (s: string): string => (s ? s[0]!.toUpperCase() + s.slice(1) : s);

/** Field errors in a shape a form can use: `{ path: 'smtp.port', message: 'Must be at most 65535' }`. */
export function fieldErrors(error: z.ZodError): { path: string; message: string }[] {
  return error.issues.map((i) => ({ path: i.path.map(String).join('.') || '(body)', message: capitalised(i.message) }));
}
