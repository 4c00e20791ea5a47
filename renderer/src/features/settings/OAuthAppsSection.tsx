// Settings → OAuth apps: the workspace's own registrations with Google, Microsoft or another
// OAuth2 server (Kiln ships none). Lists each (a stored secret is said, never shown), adds, edits,
// removes after confirming; a refused removal names the mailboxes still using the app. Shows the
// redirect URIs to register and the scopes Kiln asks for by default.
import { useEffect, useState } from 'react';
import type { OAuthApp } from '../../../../shared/domain/oauth';
import { oauthCallbackPath, oauthDefaultScopes, oauthProviderLabels } from '../../../../shared/domain/oauth-defaults';
import { oauthProviders } from '../../../../shared/domain/oauth';
import { ConfirmDialog } from '../../components/Dialog';
import { CopyField } from '../../components/CopyField';
import { Pill } from '../../components/Pill';
import { EmptyState, ErrorBox, Loading } from '../../components/status';
import { useAppStore } from '../../stores/app';
import { appFormOf, emptyAppForm, redirectUris, type OAuthAppForm } from './oauth-app-form';
import { useOAuthApps } from './oauth-apps-store';
import { OAuthAppDialog } from './OAuthAppDialog';
import { useConfirmRemove } from './useConfirmRemove';

const nameOf = (a: OAuthApp): string => a.label || `${oauthProviderLabels[a.provider]} ${a.clientId}`;

function AppItem({ a, onEdit, onRemove }: { a: OAuthApp; onEdit: () => void; onRemove: () => void }): React.JSX.Element {
  const busy = useOAuthApps((s) => s.busy[a.id] ?? false);
  const error = useOAuthApps((s) => (s.actionError?.scope === a.id ? s.actionError.error : null));
  const server = a.provider === 'microsoft' ? `tenant ${a.tenant ?? 'common'}` : a.provider === 'custom' ? (a.issuer ?? `${a.authorizationEndpoint} · ${a.tokenEndpoint}`) : null;
  return (
    <li className="card" data-testid="oauth-app" data-app-id={a.id} data-provider={a.provider}>
      <div className="page-header">
        <div>
          <h3>{nameOf(a)}</h3>
          <p className="muted">
            {oauthProviderLabels[a.provider]} · client id <span className="code">{a.clientId}</span>{' '}
            <span data-testid="oauth-app-secret">{a.hasClientSecret ? <Pill tone="neutral">secret stored</Pill> : <Pill tone="neutral">no secret</Pill>}</span>
          </p>
          {server && <p className="muted code wrap">{server}</p>}
          <p className="muted">Scopes: {(a.scopes ?? oauthDefaultScopes[a.provider]).join(' ')}{a.scopes ? '' : ' (defaults)'}</p>
        </div>
        <div className="row-actions">
          <button type="button" disabled={busy} onClick={onEdit} aria-label={`Edit ${nameOf(a)}`}>
            Edit
          </button>
          <button type="button" disabled={busy} onClick={onRemove} aria-label={`Remove ${nameOf(a)}`}>
            Remove
          </button>
        </div>
      </div>
      {error && <ErrorBox error={error} />}
    </li>
  );
}

function SetupHints(): React.JSX.Element {
  const web = useAppStore((s) => s.transport === 'http');
  return (
    <details className="evidence" data-testid="oauth-setup">
      <summary>Redirect URIs and default scopes</summary>
      {redirectUris(oauthCallbackPath, web ? location.origin : null).map((r) => (
        <CopyField key={r.uri} label={`Redirect URI — ${r.where}`} value={r.uri} />
      ))}
      <dl className="facts">
        {oauthProviders.map((p) => (
          <div className="fact" key={p}>
            <dt>{oauthProviderLabels[p]}</dt>
            <dd className="code wrap" data-testid={`oauth-default-scopes-${p}`}>{oauthDefaultScopes[p].join(' ')}</dd>
          </div>
        ))}
      </dl>
    </details>
  );
}

export function OAuthAppsSection(): React.JSX.Element {
  const apps = useOAuthApps((s) => s.apps);
  const { load, remove } = useOAuthApps.getState();
  const [editing, setEditing] = useState<OAuthAppForm | null>(null);
  const { doomed, setDoomed, busy, confirm } = useConfirmRemove<OAuthApp>(remove);
  useEffect(() => void load(), [load]);
  return (
    <section className="card" aria-labelledby="oauth-apps-h" id="oauth-apps">
      <div className="page-header">
        <h2 id="oauth-apps-h">OAuth apps</h2>
        <button type="button" onClick={() => setEditing(emptyAppForm())}>
          Add OAuth app
        </button>
      </div>
      <p className="muted">
        Mailboxes at Google, Microsoft 365 or another OAuth2 server sign in through an app you register there yourself: enter its client id (and secret, if it has one) here.
      </p>
      <SetupHints />
      {apps.error && <ErrorBox error={apps.error} onRetry={() => void load()} />}
      {!apps.data ? (
        !apps.error && <Loading label="Loading OAuth apps…" />
      ) : apps.data.length === 0 ? (
        <EmptyState title="No OAuth apps yet">Add one to offer “Sign in with…” when adding a mailbox.</EmptyState>
      ) : (
        <ul className="plain" data-testid="oauth-apps">
          {apps.data.map((a) => (
            <AppItem key={a.id} a={a} onEdit={() => setEditing(appFormOf(a))} onRemove={() => setDoomed(a)} />
          ))}
        </ul>
      )}
      {editing && <OAuthAppDialog start={editing} onClose={() => setEditing(null)} />}
      <ConfirmDialog title="Remove OAuth app" open={doomed !== null} danger busy={busy} confirmLabel="Remove app" onClose={() => setDoomed(null)} onConfirm={() => void confirm()}>
        <p>Kiln forgets {doomed ? nameOf(doomed) : ''} and its client secret. A mailbox that signs in with it must be switched to another app first.</p>
      </ConfirmDialog>
    </section>
  );
}
