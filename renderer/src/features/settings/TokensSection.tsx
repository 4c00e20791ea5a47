import { useState, type FormEvent } from 'react';
import { scopes } from '../../../../shared/api/define';
import { useSettings } from '../../stores/settings';
import { ConfirmDialog, Dialog } from '../../components/Dialog';
import { ErrorBox, Loading } from '../../components/status';
import { formatDateTime } from '../../lib/format';
import type { ApiToken } from '../../../../shared/domain/token';

type Scope = (typeof scopes)[number];

export function TokensSection(): React.JSX.Element {
  const tokens = useSettings((s) => s.tokens);
  const created = useSettings((s) => s.created);
  const { createToken, forgetCreated, revokeToken, load } = useSettings.getState();
  const [name, setName] = useState('');
  const [chosen, setChosen] = useState<Scope[]>(['read']);
  const [doomed, setDoomed] = useState<ApiToken | null>(null);
  const [copied, setCopied] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (await createToken(name, chosen)) setName('');
  };
  const copy = async (text: string) => {
    try {
      await navigator.clipboard.writeText(text);
      setCopied(true);
    } catch {
      (document.getElementById('new-token') as HTMLInputElement | null)?.select();
    }
  };
  return (
    <section className="card" aria-labelledby="tokens-h">
      <h2 id="tokens-h">API tokens</h2>
      <form className="row" onSubmit={(e) => void submit(e)} aria-label="Create token">
        <label className="field grow">
          <span>Token name</span>
          <input value={name} onChange={(e) => setName(e.target.value)} required maxLength={100} />
        </label>
        <fieldset className="row">
          <legend>Scopes</legend>
          {scopes.map((s) => (
            <label className="check" key={s}>
              <input type="checkbox" checked={chosen.includes(s)} onChange={(e) => setChosen(e.target.checked ? [...chosen, s] : chosen.filter((x) => x !== s))} /> {s}
            </label>
          ))}
        </fieldset>
        <button type="submit" className="primary" disabled={chosen.length === 0}>
          Create token
        </button>
      </form>
      {tokens.error && <ErrorBox error={tokens.error} onRetry={() => void load()} />}
      {!tokens.data ? (
        !tokens.error && <Loading />
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
                  <td>{t.name}</td>
                  <td className="code">{t.prefix}…</td>
                  <td>{t.scopes.join(', ')}</td>
                  <td>{formatDateTime(t.createdAt)}</td>
                  <td>{formatDateTime(t.lastUsedAt)}</td>
                  <td>
                    {t.revokedAt ? (
                      <span className="muted">revoked {formatDateTime(t.revokedAt)}</span>
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
      <Dialog title="New API token" open={created !== null} onClose={() => (setCopied(false), forgetCreated())}>
        <p>
          Copy the token now: <strong>it is shown once</strong> and Kiln keeps only a hash of it.
        </p>
        <input id="new-token" className="code wide" readOnly value={created?.token ?? ''} aria-label="New token" onFocus={(e) => e.target.select()} />
        <div className="actions">
          <button type="button" onClick={() => created && void copy(created.token)}>
            {copied ? 'Copied' : 'Copy'}
          </button>
          <button type="button" className="primary" onClick={() => (setCopied(false), forgetCreated())}>
            Done
          </button>
        </div>
      </Dialog>
      <ConfirmDialog
        title="Revoke token"
        open={doomed !== null}
        danger
        confirmLabel="Revoke"
        onClose={() => setDoomed(null)}
        onConfirm={() => doomed && void revokeToken(doomed.id).then(() => setDoomed(null))}
      >
        <p>Anything using &ldquo;{doomed?.name}&rdquo; stops working at once. This cannot be undone.</p>
      </ConfirmDialog>
    </section>
  );
}
