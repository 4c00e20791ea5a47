// API tokens of the workspace: create one (its secret shown once), see when each was last used,
// revoke one after confirming.
import { useState } from 'react';
import type { ApiToken } from '../../../../shared/domain/token';
import { useSettings } from './settings-store';
import { ConfirmDialog } from '../../components/Dialog';
import { FormError } from '../../components/FormError';
import { EmptyState, ErrorBox, Loading } from '../../components/status';
import { formatDateTime } from '../../lib/format';
import { CreateTokenForm } from './CreateTokenForm';
import { NewTokenDialog } from './NewTokenDialog';

export function TokensSection(): React.JSX.Element {
  const tokens = useSettings((s) => s.tokens);
  const actionError = useSettings((s) => (s.actionError?.scope === 'tokens' ? s.actionError.error : null));
  const { loadTokens, revokeToken, usedHere } = useSettings.getState();
  const [doomed, setDoomed] = useState<ApiToken | null>(null);
  const [busy, setBusy] = useState(false);
  const revoke = async () => {
    if (!doomed) return;
    setBusy(true);
    await revokeToken(doomed.id);
    setBusy(false);
    setDoomed(null);
  };

  return (
    <section className="card" aria-labelledby="tokens-h">
      <h2 id="tokens-h">API tokens</h2>
      <p className="muted">Tokens sign in the web UI and the REST API (<code>Authorization: Bearer …</code>). Each belongs to this workspace.</p>
      <CreateTokenForm />
      {actionError && <FormError error={actionError} />}
      {tokens.error && <ErrorBox error={tokens.error} onRetry={() => void loadTokens()} />}
      {!tokens.data ? (
        !tokens.error && <Loading label="Loading tokens…" />
      ) : tokens.data.length === 0 ? (
        <EmptyState title="No API tokens yet">Create one above to use the REST API or to open this workspace in a browser.</EmptyState>
      ) : (
        <div className="table-wrap">
          <table aria-label="API tokens">
            <thead>
              <tr>
                <th>Name</th>
                <th>Starts with</th>
                <th>Scopes</th>
                <th>Created</th>
                <th>Last used</th>
                <th>State</th>
              </tr>
            </thead>
            <tbody>
              {tokens.data.map((t) => (
                <tr key={t.id} data-token={t.name}>
                  <td>
                    {t.name} {!t.revokedAt && usedHere(t.prefix) && <span className="badge">this browser</span>}
                  </td>
                  <td className="code">{t.prefix}…</td>
                  <td>{t.scopes.join(', ')}</td>
                  <td>{formatDateTime(t.createdAt)}</td>
                  <td>{t.lastUsedAt ? formatDateTime(t.lastUsedAt) : <span className="muted">never</span>}</td>
                  <td>
                    {t.revokedAt ? (
                      <span className="muted">Revoked {formatDateTime(t.revokedAt)}</span>
                    ) : (
                      <button type="button" onClick={() => setDoomed(t)} aria-label={`Revoke ${t.name}`}>
                        Revoke
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <NewTokenDialog />
      <ConfirmDialog title="Revoke token" open={doomed !== null} danger busy={busy} confirmLabel="Revoke" onClose={() => setDoomed(null)} onConfirm={() => void revoke()}>
        <p>Anything using &ldquo;{doomed?.name}&rdquo; stops working at once. This cannot be undone.</p>
        {doomed && usedHere(doomed.prefix) && <p className="error">This browser tab signed in with this token: it will be signed out.</p>}
      </ConfirmDialog>
    </section>
  );
}
