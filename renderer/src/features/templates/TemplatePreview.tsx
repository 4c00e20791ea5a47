// A version rendered with sample values: subject, text and the HTML in a sandboxed frame.
import { useEffect, useState } from 'react';
import type { Template } from '../../../../shared/domain/template';
import { HtmlPreview } from '../../components/HtmlPreview';
import { ErrorBox } from '../../components/status';
import { useTemplates } from './templates-store';

export function TemplatePreview({ template }: { template: Template }): React.JSX.Element {
  const preview = useTemplates((s) => s.preview);
  const runPreview = useTemplates((s) => s.runPreview);
  const v = template.current;
  const [values, setValues] = useState<Record<string, string>>({});
  useEffect(() => setValues({}), [template.id, v.version]);
  const run = () => void runPreview(template.id, v.version, values);
  const r = preview.data;
  return (
    <section className="template-preview" aria-label="Preview">
      <h3>Preview of version {v.version}</h3>
      <div className="row">
        {v.variables.map((x) => (
          <div className="field" key={x.name}>
            <label htmlFor={`tpl-prev-${x.name}`}>
              {x.name}
              {x.required ? '' : ' (optional)'}
            </label>
            <input id={`tpl-prev-${x.name}`} value={values[x.name] ?? ''} placeholder={x.sample ?? ''} onChange={(e) => setValues({ ...values, [x.name]: e.target.value })} />
          </div>
        ))}
        <button type="button" onClick={run} disabled={preview.status === 'loading'}>
          Preview
        </button>
      </div>
      {preview.error && <ErrorBox error={preview.error} onRetry={run} />}
      {r && r.version === v.version && r.templateId === template.id && (
        <div data-testid="template-rendered">
          <p>
            <strong>Subject:</strong> <span data-testid="preview-subject">{r.subject}</span>
          </p>
          {r.html !== null && <HtmlPreview html={r.html} />}
          <h4>Text{r.textGenerated ? ' (made from the HTML)' : ''}</h4>
          <pre className="message-text" data-testid="preview-text">
            {r.text}
          </pre>
        </div>
      )}
    </section>
  );
}
