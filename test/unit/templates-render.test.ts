import { describe, expect, it } from 'vitest';
import { KilnError } from '../../shared/errors';
import { checkSource, checkValues, renderTemplate, type TemplateSource } from '../../electron/core/templates/render';

const tpl = (over: Partial<TemplateSource> = {}): TemplateSource => ({
  subject: 'Hello {{name}}',
  text: 'Hi {{name}}, {{note}}',
  html: '<p>Hi {{name}}, {{note}}</p>',
  variables: [
    { name: 'name', required: true },
    { name: 'note', required: false },
  ],
  ...over,
});

function fieldsOf(fn: () => unknown): { path: string; message: string }[] {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(KilnError);
    expect((e as KilnError).code).toBe('VALIDATION_FAILED');
    return ((e as KilnError).details as { fields: { path: string; message: string }[] }).fields;
  }
  throw new Error('expected a VALIDATION_FAILED');
}

describe('template render', () => {
  it('escapes variables in the HTML part and keeps them literal in the subject and text', () => {
    const evil = '<script>alert("x")</script> {{secret}} & \'q\'';
    const r = renderTemplate(tpl(), checkValues(tpl().variables, { name: evil }));
    expect(r.html).toBe('<p>Hi &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; {{secret}} &amp; &#x27;q&#x27;, </p>');
    expect(r.text).toBe(`Hi ${evil}, `);
    expect(r.subject).toBe(`Hello ${evil}`);
    expect(r.textGenerated).toBe(false);
  });

  it('refuses a subject that renders with CR or LF, naming the variable', () => {
    for (const name of ['a\r\nBcc: victim@example.test', 'a\nb', 'a\rb']) {
      const fields = fieldsOf(() => renderTemplate(tpl(), checkValues(tpl().variables, { name })));
      expect(fields).toEqual([{ path: 'variables.name', message: 'Puts a line break in the subject' }]);
    }
  });

  it('names every unknown and every missing required variable', () => {
    const fields = fieldsOf(() => checkValues(tpl().variables, { nmae: 'x', other: 1 }));
    expect(fields.map((f) => f.path).sort()).toEqual(['variables.name', 'variables.nmae', 'variables.other']);
    expect(fields.find((f) => f.path === 'variables.name')!.message).toBe('Required');
  });

  it('generates the text part from the HTML when the template has none', () => {
    const r = renderTemplate(tpl({ text: null, html: '<p>Hi {{name}}</p><p>Line <b>one</b></p><script>x()</script>' }), checkValues(tpl().variables, { name: '<i>Ann</i>' }));
    expect(r.textGenerated).toBe(true);
    expect(r.text).toContain('<i>Ann</i>');
    expect(r.text).toContain('Line one');
    expect(r.text).not.toContain('<b>');
  });

  it('refuses at save time a template that uses an undeclared variable, an unknown helper or bad syntax', () => {
    expect(fieldsOf(() => checkSource(tpl({ html: '<p>{{missing}}</p>' })))).toEqual([{ path: 'html', message: 'Uses "missing", which is not a declared variable (line 1)' }]);
    expect(fieldsOf(() => checkSource(tpl({ text: '{{lookup name "length"}}' })))[0]!.path).toBe('text');
    expect(fieldsOf(() => checkSource(tpl({ text: '{{log name}}' })))[0]!.path).toBe('text');
    expect(fieldsOf(() => checkSource(tpl({ subject: '{{#if name}}x' })))[0]!.path).toBe('subject');
    expect(fieldsOf(() => checkSource(tpl({ html: '{{> partial}}' })))[0]!.path).toBe('html');
    expect(() => checkSource(tpl({ html: '{{#if note}}<b>{{note}}</b>{{/if}}' }))).not.toThrow();
  });

  it('gives no access to prototypes', () => {
    const fields = fieldsOf(() => checkSource(tpl({ text: '{{name.constructor}}' })));
    expect(fields[0]!.path).toBe('text');
    expect(fieldsOf(() => checkSource(tpl({ text: '{{#with name}}{{this.__proto__}}{{/with}}' })))[0]!.path).toBe('text');
  });
});
