// The aggregate report tree as fast-xml-parser hands it over (every leaf a string, repeatable elements
// arrays), validated: RFC 7489 appendix C and RFC 9990 share these element names; each schema's own
// elements are optional. Messages are phrased to follow the field name ("… source_ip is missing").
import { isIP } from 'node:net';
import { z } from 'zod';

const says = (what: string) => ({ error: (iss: { input?: unknown }) => (iss.input === undefined ? 'is missing' : `must be ${what}`) });
/** An empty element (`<sp/>`, `<sp></sp>`) counts as absent. */
const blankAsMissing = (v: unknown) => (v === '' ? undefined : v);

const text = (max: number) => z.string(says('text')).min(1, 'is empty').max(max, `is longer than ${max} characters`);
const optText = (max: number) => z.preprocess(blankAsMissing, text(max).optional());

const oneOf = <const T extends string>(values: readonly [T, ...T[]]) =>
  z
    .string(says('text'))
    .transform((s) => s.toLowerCase())
    .pipe(z.enum(values, { error: () => `must be one of ${values.join(', ')}` }));
const optOneOf = <const T extends string>(values: readonly [T, ...T[]]) => z.preprocess(blankAsMissing, oneOf(values).optional());

const uint = z
  .string(says('a number'))
  .regex(/^\d+$/, 'must be a non-negative integer')
  .transform(Number)
  .refine(Number.isSafeInteger, 'is too large');

const ip = z
  .string(says('an IP address'))
  .refine((s) => isIP(s) !== 0, 'must be an IPv4 or IPv6 address')
  .transform((s) => s.toLowerCase());

/** Auth and policy_evaluated results: lower-cased; a few reporters use words outside the XSD (e.g. hardfail). */
const result = z
  .string(says('text'))
  .min(1, 'is empty')
  .max(32, 'is longer than 32 characters')
  .transform((s) => s.toLowerCase());

/** An element with children; an empty one reads as having none, so the first missing child is named. */
const element = <T extends z.ZodRawShape>(shape: T) => z.preprocess((v) => (v === '' ? {} : v), z.object(shape, says('an element with child elements')));
const optElement = <T extends z.ZodRawShape>(shape: T) => z.preprocess(blankAsMissing, element(shape).optional());

const policies = ['none', 'quarantine', 'reject'] as const;

const record = element({
  row: element({
    source_ip: ip,
    count: uint,
    policy_evaluated: element({
      // RFC 9990 adds "pass" (no policy applied because the message passed).
      disposition: oneOf(['none', 'pass', 'quarantine', 'reject']),
      dkim: result,
      spf: result,
      reason: z.array(element({ type: text(100), comment: optText(1000) })).optional(),
    }),
  }),
  identifiers: element({
    header_from: text(253),
    envelope_from: optText(253),
    envelope_to: optText(253),
  }),
  auth_results: optElement({
    dkim: z.array(optElement({ domain: optText(253), selector: optText(253), result, human_result: optText(500) })).optional(),
    spf: z.array(optElement({ domain: optText(253), scope: optText(20), result, human_result: optText(500) })).optional(),
  }),
});

export const feedbackSchema = element({
  version: optText(20),
  report_metadata: element({
    org_name: text(500),
    email: optText(500),
    extra_contact_info: optText(1000),
    report_id: text(500),
    date_range: element({ begin: uint, end: uint }),
    error: z.array(z.preprocess(blankAsMissing, z.string(says('text')).max(2000).optional())).optional(),
    generator: optText(500),
  }),
  policy_published: element({
    domain: text(253),
    adkim: optOneOf(['r', 's']),
    aspf: optOneOf(['r', 's']),
    p: oneOf(policies),
    sp: optOneOf(policies),
    np: optOneOf(policies),
    pct: z.preprocess(blankAsMissing, uint.refine((n) => n <= 100, 'must be at most 100').optional()),
    fo: optText(50),
    testing: optOneOf(['y', 'n']),
    discovery_method: optText(50),
  }),
  record: z.array(record).max(500_000, 'has more than 500,000 rows').optional(),
});

export type RawFeedback = z.infer<typeof feedbackSchema>;
