// Add or edit an OAuth app: provider, client id, the write-only secret ("leave empty to keep"),
// Microsoft's tenant, a custom server's issuer or endpoints, and optional scopes (empty = defaults).
import { useState, type FormEvent } from 'react';
import { oauthProviders } from '../../../../shared/domain/oauth';
import { oauthDefaultScopes, oauthProviderLabels } from '../../../../shared/domain/oauth-defaults';
import { Dialog } from '../../components/Dialog';
import { FormError } from '../../components/FormError';
import { fieldIssues, issueAt } from '../../lib/issues';
import { appInput, type OAuthAppForm } from './oauth-app-form';
import { useOAuthApps } from './oauth-apps-store';

function Text(props: { id: string; label: string; value: string; onChange: (v: string) => void; error: string | null; input?: React.InputHTMLAttributes<HTMLInputElement> }): React.JSX.Element {
  return (
    <div className="field grow">
      <label htmlFor={props.id}>{props.label}</label>
      <input id={props.id} value={props.value} onChange={(e) => props.onChange(e.target.value)} autoComplete="off" spellCheck={false} aria-invalid={props.error ? true : undefined} {...props.input} />
      {props.error && <span className="field-error">{props.error}</span>}
    </div>
  );
}

/** Mounted while open: it starts from `start` (a new app, or the app being edited). */
export function OAuthAppDialog({ start, onClose }: { start: OAuthAppForm; onClose: () => void }): React.JSX.Element {
  const [f, setF] = useState<OAuthAppForm>(start);
  const save = useOAuthApps((s) => s.save);
  const busy = useOAuthApps((s) => s.busy.save ?? false);
  const error = useOAuthApps((s) => (s.actionError?.scope === 'save' ? s.actionError.error : null));
  const clearError = useOAuthApps((s) => s.clearError);
  const close = () => {
    clearError();
    onClose();
  };
  const editing = start.id !== null;
  const title = editing ? 'Edit OAuth app' : 'Add OAuth app';
  const issues = fieldIssues(error);
  const set = (patch: Partial<OAuthAppForm>) => setF({ ...f, ...patch });
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (await save(appInput(f))) close();
  };
  return (
    <Dialog title={title} open onClose={close}>
      <form className="form" onSubmit={(e) => void submit(e)} aria-label="OAuth app">
        <div className="row">
          <div className="field">
            <label htmlFor="oauth-provider">Provider</label>
            <select id="oauth-provider" value={f.provider} disabled={editing} onChange={(e) => set({ provider: e.target.value as OAuthAppForm['provider'] })}>
              {oauthProviders.map((p) => (
                <option key={p} value={p}>
                  {oauthProviderLabels[p]}
                </option>
              ))}
            </select>
          </div>
          <Text id="oauth-label" label="Label (optional)" value={f.label} onChange={(label) => set({ label })} error={issueAt(issues, 'label')} />
        </div>
        <Text id="oauth-client-id" label="Client ID" value={f.clientId} onChange={(clientId) => set({ clientId })} error={issueAt(issues, 'clientId')} input={{ required: true }} />
        <Text
          id="oauth-client-secret"
          label={editing ? 'Client secret (leave empty to keep the stored one)' : 'Client secret (optional)'}
          value={f.clientSecret}
          onChange={(clientSecret) => set({ clientSecret })}
          error={issueAt(issues, 'clientSecret')}
          input={{ type: 'password', autoComplete: 'new-password', placeholder: editing ? 'unchanged' : '' }}
        />
        {editing && (
          <label className="check">
            <input type="checkbox" checked={f.removeSecret} disabled={f.clientSecret !== ''} onChange={(e) => set({ removeSecret: e.target.checked })} /> Remove the stored secret (a public client)
          </label>
        )}
        {f.provider === 'microsoft' && (
          <Text id="oauth-tenant" label="Tenant (common, organizations, consumers, a tenant id or domain)" value={f.tenant} onChange={(tenant) => set({ tenant })} error={issueAt(issues, 'tenant')} input={{ placeholder: 'common' }} />
        )}
        {f.provider === 'custom' && (
          <fieldset>
            <legend>Authorization server</legend>
            <div className="row">
              <label className="check">
                <input type="radio" name="oauth-discovery" checked={f.discovery === 'issuer'} onChange={() => set({ discovery: 'issuer' })} /> Issuer (discovery)
              </label>
              <label className="check">
                <input type="radio" name="oauth-discovery" checked={f.discovery === 'endpoints'} onChange={() => set({ discovery: 'endpoints' })} /> Endpoints
              </label>
            </div>
            {f.discovery === 'issuer' ? (
              <Text id="oauth-issuer" label="Issuer URL" value={f.issuer} onChange={(issuer) => set({ issuer })} error={issueAt(issues, 'issuer')} input={{ type: 'url', required: true }} />
            ) : (
              <div className="row">
                <Text id="oauth-authorization-endpoint" label="Authorization endpoint" value={f.authorizationEndpoint} onChange={(v) => set({ authorizationEndpoint: v })} error={issueAt(issues, 'authorizationEndpoint')} input={{ type: 'url', required: true }} />
                <Text id="oauth-token-endpoint" label="Token endpoint" value={f.tokenEndpoint} onChange={(v) => set({ tokenEndpoint: v })} error={issueAt(issues, 'tokenEndpoint')} input={{ type: 'url', required: true }} />
              </div>
            )}
          </fieldset>
        )}
        <Text id="oauth-scopes" label="Scopes (optional, separated by spaces)" value={f.scopes} onChange={(scopes) => set({ scopes })} error={issueAt(issues, 'scopes')} input={{ placeholder: oauthDefaultScopes[f.provider].join(' ') }} />
        <p className="hint">Empty: Kiln asks for {oauthDefaultScopes[f.provider].join(', ')}.</p>
        {error && <FormError error={error} />}
        <div className="actions">
          <button type="button" onClick={close}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={busy}>
            {busy ? 'Saving…' : editing ? 'Save app' : 'Add app'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
