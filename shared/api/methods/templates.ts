// Message templates: versioned Handlebars content that messages.send can render.
import { z } from 'zod';
import { method } from '../define';
import { renderedTemplate, template, templateSummary, templateValues, templateVariable } from '../../domain/template';
import { id } from './common';

const name = z.string().trim().min(1).max(200);
const subject = z.string().min(1).max(998);
const body = z.string().max(2_000_000);
const variables = z
  .array(templateVariable)
  .max(100)
  .refine((vs) => new Set(vs.map((v) => v.name)).size === vs.length, { message: 'each variable name must be declared once' });
const version = z.coerce.number().int().min(1).optional();

export const templatesMethods = {
  'templates.list': method({
    http: { method: 'GET', path: '/templates' },
    scope: 'read',
    summary: "This workspace's message templates, by name",
    input: z.object({}),
    output: z.object({ items: z.array(templateSummary) }),
  }),
  'templates.get': method({
    http: { method: 'GET', path: '/templates/{id}' },
    scope: 'read',
    summary: 'A template: the latest version (or the one named) and the list of its versions',
    input: id.extend({ version }),
    output: template,
  }),
  'templates.create': method({
    http: { method: 'POST', path: '/templates', status: 201 },
    scope: 'admin',
    summary: 'Create a template (version 1): Handlebars subject, text and/or HTML using only the declared variables',
    input: z
      .object({ name, subject, text: body.optional(), html: body.optional(), variables: variables.default([]) })
      .refine((t) => t.text !== undefined || t.html !== undefined, { message: 'text or html is required', path: ['text'] }),
    output: template,
  }),
  'templates.update': method({
    http: { method: 'PATCH', path: '/templates/{id}' },
    scope: 'admin',
    summary: 'Rename a template or change its content; a content change adds a new version and never alters earlier ones',
    input: id.extend({
      name: name.optional(),
      subject: subject.optional(),
      /** Null: no text part of its own (it is generated from the HTML). */
      text: body.nullable().optional(),
      html: body.nullable().optional(),
      variables: variables.optional(),
    }),
    output: template,
  }),
  'templates.delete': method({
    http: { method: 'DELETE', path: '/templates/{id}' },
    scope: 'admin',
    summary: 'Delete a template and its versions; refused (CONFLICT) while a message rendered from it waits to be sent',
    input: id,
    output: z.object({ id: z.string(), deleted: z.literal(true) }),
  }),
  'templates.preview': method({
    http: { method: 'POST', path: '/templates/{id}/preview' },
    scope: 'read',
    summary: 'Render a template version with the given variables, the declared samples filling the rest',
    input: id.extend({ version, variables: templateValues.optional() }),
    output: renderedTemplate,
  }),
};
