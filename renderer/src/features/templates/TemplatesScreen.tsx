// Templates: the workspace's message templates, one open with its version history, an editor
// (every save of new content is a new version) and a preview with sample values.
import { useEffect, useState } from 'react';
import type { Template } from '../../../../shared/domain/template';
import { Can } from '../../app/Can';
import { useRouter } from '../../app/router';
import { ConfirmDialog } from '../../components/Dialog';
import { FormError } from '../../components/FormError';
import { EmptyState, ErrorBox, Loading } from '../../components/status';
import { formatDateTime } from '../../lib/format';
import { TemplateEditor } from './TemplateEditor';
import { TemplatePreview } from './TemplatePreview';
import { useTemplates } from './templates-store';

/** `#/templates?id=tpl_…&version=2`, or `?new=1` for the editor of a new template. */
function parse(query: string): { id: string | null; version?: number; creating: boolean } {
  const q = new URLSearchParams(query);
  const v = Number(q.get('version'));
  return { id: q.get('id'), version: Number.isInteger(v) && v > 0 ? v : undefined, creating: q.get('new') === '1' };
}

function Detail({ t, onEdit }: { t: Template; onEdit: () => void }): React.JSX.Element {
  const go = useRouter((s) => s.go);
  const remove = useTemplates((s) => s.remove);
  const actionError = useTemplates((s) => s.actionError);
  const [asking, setAsking] = useState(false);
  const latest = t.current.version === t.version;
  return (
    <div className="template-detail" data-testid="template-detail">
      <div className="page-header">
        <h2>{t.name}</h2>
        <Can call="templates.update">
          <button type="button" onClick={onEdit} disabled={!latest} title={latest ? undefined : 'Open the latest version to edit'}>
            Edit
          </button>
        </Can>
        <Can call="templates.delete">
          <button type="button" className="danger" onClick={() => setAsking(true)}>
            Delete
          </button>
        </Can>
      </div>
      {actionError && <FormError error={actionError} />}
      <div className="field">
        <label htmlFor="tpl-version">Version</label>
        <select id="tpl-version" value={t.current.version} onChange={(e) => go({ name: 'templates', query: `id=${encodeURIComponent(t.id)}&version=${e.target.value}` })}>
          {t.versions.map((v) => (
            <option key={v.version} value={v.version}>
              Version {v.version}
              {v.version === t.version ? ' (latest)' : ''} · {formatDateTime(v.createdAt)}
            </option>
          ))}
        </select>
      </div>
      <dl className="facts">
        <dt>Subject</dt>
        <dd>
          <code>{t.current.subject}</code>
        </dd>
        <dt>Variables</dt>
        <dd>{t.current.variables.length === 0 ? 'none' : t.current.variables.map((v) => `${v.name}${v.required ? '' : ' (optional)'}`).join(', ')}</dd>
        <dt>Text part</dt>
        <dd>{t.current.text === null ? 'made from the HTML' : 'its own'}</dd>
      </dl>
      <TemplatePreview template={t} />
      <ConfirmDialog title="Delete template" open={asking} danger confirmLabel="Delete" onClose={() => setAsking(false)} onConfirm={() => void remove(t.id).then((ok) => (setAsking(false), ok && go({ name: 'templates', query: '' })))}>
        <p>
          Delete <strong>{t.name}</strong> and its {t.versions.length} version(s)? Messages already sent keep their record of the version they used. Kiln refuses while a message made from it waits to be sent.
        </p>
      </ConfirmDialog>
    </div>
  );
}

export function TemplatesScreen({ query }: { query: string }): React.JSX.Element {
  const list = useTemplates((s) => s.list);
  const open = useTemplates((s) => s.open);
  const { load, show, close } = useTemplates.getState();
  const go = useRouter((s) => s.go);
  const { id, version, creating } = parse(query);
  const [editing, setEditing] = useState(false);
  useEffect(() => void load(), [load]);
  useEffect(() => {
    setEditing(false);
    if (id) void show(id, version);
    else close();
  }, [id, version, show, close]);
  const select = (tid: string) => go({ name: 'templates', query: `id=${encodeURIComponent(tid)}` });
  const t = open.data && open.data.id === id ? open.data : null;

  return (
    <div className="templates-screen">
      <div className="page-header">
        <h1>Templates</h1>
        <Can call="templates.create">
          <button type="button" onClick={() => go({ name: 'templates', query: 'new=1' })}>
            New template
          </button>
        </Can>
      </div>
      <p className="muted">Handlebars templates for the send API (templateId and variables). Each edit is a new version; a message records the version it used.</p>
      <div className="templates-layout">
        <nav aria-label="Templates">
          {list.error && <ErrorBox error={list.error} onRetry={() => void load()} />}
          {!list.data ? (
            !list.error && <Loading label="Loading templates…" />
          ) : list.data.items.length === 0 ? (
            <EmptyState title="No templates">Create one to send with templateId and variables.</EmptyState>
          ) : (
            <ul className="template-list" data-testid="template-list">
              {list.data.items.map((x) => (
                <li key={x.id}>
                  <a href={`#/templates?id=${encodeURIComponent(x.id)}`} aria-current={x.id === id ? 'page' : undefined} onClick={(e) => (e.preventDefault(), select(x.id))}>
                    {x.name}
                  </a>{' '}
                  <span className="muted">v{x.version}</span>
                </li>
              ))}
            </ul>
          )}
        </nav>
        <div>
          {creating ? (
            <TemplateEditor template={null} onDone={(saved) => go({ name: 'templates', query: saved ? `id=${encodeURIComponent(saved.id)}` : '' })} />
          ) : !id ? (
            <p className="muted">Pick a template to see its versions and preview it.</p>
          ) : open.error && !t ? (
            <ErrorBox error={open.error} onRetry={() => void show(id, version)} />
          ) : !t ? (
            <Loading />
          ) : editing ? (
            <TemplateEditor template={t} onDone={() => (setEditing(false), go({ name: 'templates', query: `id=${encodeURIComponent(t.id)}` }))} />
          ) : (
            <Detail t={t} onEdit={() => setEditing(true)} />
          )}
        </div>
      </div>
    </div>
  );
}
