import { useState, type FormEvent } from 'react';
import { useAppStore } from '../stores/app';

/** Asks for an API token (browser only: the desktop app needs none). */
export function TokenForm(): React.JSX.Element {
  const submitToken = useAppStore((s) => s.submitToken);
  const error = useAppStore((s) => s.error);
  const adding = useAppStore((s) => s.workspace !== null);
  const cancel = useAppStore((s) => s.cancelAddWorkspace);
  const [token, setToken] = useState('');

  const onSubmit = (event: FormEvent<HTMLFormElement>): void => {
    event.preventDefault();
    void submitToken(token);
    setToken('');
  };

  return (
    <form className="card token-form" onSubmit={onSubmit}>
      <label htmlFor="kiln-token">API token</label>
      <p className="hint">
        {adding ? 'Paste an API token of the workspace to add.' : 'Paste an API token of this workspace.'} It is kept for this
        browser tab only. Create one with <code>kiln token create</code> on the server.
      </p>
      <input
        id="kiln-token"
        type="password"
        autoComplete="off"
        spellCheck={false}
        value={token}
        onChange={(e) => setToken(e.target.value)}
        required
      />
      <div className="actions">
        {adding && (
          <button type="button" onClick={cancel}>
            Cancel
          </button>
        )}
        <button type="submit" className="primary">
          Connect
        </button>
      </div>
      {error && (
        <p className="error" role="alert">
          {error.message} <span className="code">({error.code})</span>
        </p>
      )}
    </form>
  );
}
