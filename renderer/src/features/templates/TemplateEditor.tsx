// Create a template or save a new version of one: name, Handlebars subject, text and HTML, and the
// variables it declares (each required or optional, with a sample value for the preview).
import { useEffect, useState, type FormEvent } from 'react';
import type { Template, TemplateVariable } from '../../../../shared/domain/template';
import { Editable } from '../../app/Can';
import { FormError } from '../../components/FormError';
import { draftOf, emptyDraft, useTemplates, type Draft } from './templates-store';

function VariableRows({ vars, onChange }: { vars: TemplateVariable[]; onChange: (v: TemplateVariable[]) => void }): React.JSX.Element {
  const patch = (i: number, p: Partial<TemplateVariable>) => onChange(vars.map((v, j) => (j === i ? { ...v, ...p } : v)));
  return (
    <fieldset className="template-variables">
      <legend>Variables</legend>
      {vars.length === 0 && <p className="muted">None declared: a template may only use the variables listed here.</p>}
      {vars.map((v, i) => (
        <div className="row" key={i} data-testid="template-variable">
          <div className="field">
            <label htmlFor={`tpl-var-${i}`}>Name</label>
            <input id={`tpl-var-${i}`} value={v.name} maxLength={64} onChange={(e) => patch(i, { name: e.target.value })} />
          </div>
          <label className="check">
            <input type="checkbox" checked={v.required} onChange={(e) => patch(i, { required: e.target.checked })} /> Required
          </label>
          <div className="field grow">
            <label htmlFor={`tpl-sample-${i}`}>Sample value</label>
            <input id={`tpl-sample-${i}`} value={v.sample ?? ''} onChange={(e) => patch(i, { sample: e.target.value === '' ? undefined : e.target.value })} />
          </div>
          <button type="button" aria-label={`Remove variable ${v.name}`} onClick={() => onChange(vars.filter((_, j) => j !== i))}>
            Remove
          </button>
        </div>
      ))}
      <button type="button" onClick={() => onChange([...vars, { name: '', required: true }])}>
        Add variable
      </button>
    </fieldset>
  );
}

export function TemplateEditor({ template, onDone }: { template: Template | null; onDone: (saved: Template | null) => void }): React.JSX.Element {
  const save = useTemplates((s) => s.save);
  const actionError = useTemplates((s) => s.actionError);
  const [d, setD] = useState<Draft>(() => (template ? draftOf(template) : emptyDraft()));
  const [busy, setBusy] = useState(false);
  useEffect(() => setD(template ? draftOf(template) : emptyDraft()), [template]);
  const set = (p: Partial<Draft>) => setD((x) => ({ ...x, ...p }));
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    const saved = await save(template?.id ?? null, d);
    setBusy(false);
    if (saved) onDone(saved);
  };
  const call = template ? 'templates.update' : 'templates.create';
  return (
    <form className="template-editor" aria-label={template ? `Edit ${template.name}` : 'New template'} onSubmit={(e) => void submit(e)} noValidate>
      <Editable call={call}>
        <div className="field">
          <label htmlFor="tpl-name">Name</label>
          <input id="tpl-name" value={d.name} maxLength={200} onChange={(e) => set({ name: e.target.value })} />
        </div>
        <div className="field">
          <label htmlFor="tpl-subject">Subject</label>
          <input id="tpl-subject" value={d.subject} maxLength={998} placeholder="Your order {{order}} has shipped" onChange={(e) => set({ subject: e.target.value })} />
        </div>
        <div className="field">
          <label htmlFor="tpl-html">HTML (variables are HTML-escaped)</label>
          <textarea id="tpl-html" rows={8} value={d.html} onChange={(e) => set({ html: e.target.value })} />
        </div>
        <div className="field">
          <label htmlFor="tpl-text">Text (leave empty to make it from the HTML)</label>
          <textarea id="tpl-text" rows={5} value={d.text} onChange={(e) => set({ text: e.target.value })} />
        </div>
        <VariableRows vars={d.variables} onChange={(variables) => set({ variables })} />
        {actionError && <FormError error={actionError} />}
        <p className="actions">
          <button type="submit" className="primary" disabled={busy}>
            {template ? 'Save as new version' : 'Create template'}
          </button>
          <button type="button" onClick={() => onDone(null)}>
            Cancel
          </button>
        </p>
      </Editable>
    </form>
  );
}
