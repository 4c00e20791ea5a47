// Message templates: Handlebars subject, text and HTML with declared variables, versioned.
import { z } from 'zod';

/** A variable name Handlebars reads as one plain path segment. */
export const variableName = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must start with a letter or _ and hold only letters, digits and _');

export const templateVariable = z.object({
  name: variableName,
  /** A required variable must be given on every send; an optional one renders as empty text when absent. */
  required: z.boolean().default(true),
  /** What the preview uses when no value is given. */
  sample: z.string().max(10_000).optional(),
});
export type TemplateVariable = z.output<typeof templateVariable>;

/** Values a send gives for a template's variables: plain text, numbers or true/false. */
export const templateValues = z.record(variableName, z.union([z.string().max(100_000), z.number(), z.boolean()]));
export type TemplateValues = z.output<typeof templateValues>;

export const templateVersion = z.object({
  version: z.number().int(),
  subject: z.string(),
  /** Null: the text part is generated from the HTML. */
  text: z.string().nullable(),
  html: z.string().nullable(),
  variables: z.array(templateVariable),
  createdAt: z.string(),
});
export type TemplateVersion = z.output<typeof templateVersion>;

export const templateSummary = z.object({
  id: z.string(),
  name: z.string(),
  /** The latest version's number. */
  version: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export const template = templateSummary.extend({
  /** The version asked for (the latest unless another was named). */
  current: templateVersion,
  /** Every version, newest first. */
  versions: z.array(z.object({ version: z.number().int(), createdAt: z.string() })),
});
export type Template = z.output<typeof template>;

export const renderedTemplate = z.object({
  templateId: z.string(),
  version: z.number().int(),
  subject: z.string(),
  text: z.string(),
  html: z.string().nullable(),
  /** True when the template has no text part and this one was made from the HTML. */
  textGenerated: z.boolean(),
});
export type RenderedTemplate = z.output<typeof renderedTemplate>;
