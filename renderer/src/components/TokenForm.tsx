import { useState, type FormEvent } from 'react';
import { useAppStore } from '../stores/app';

/** Asks for an API token (browser only: the desktop app needs none). */
export function TokenForm(): React.JSX.Element {
  const submitToken = useAppStore((s) => s.submitToken);
  const error = useAppStore((s) => s.error);
  const [token, setToken] = useState('');

  const onSubmit = (event: FormEvent<HTMLFormElement>): void => {
    event.preventDefault();
    void submitToken(token);
    setToken('');
  };

  return (
    <form className="card token-form" onSubmit={onSubmit}>
      <label htmlFor="kiln-token">API token</label>
      <p className="hint">Paste an API token of this workspace. It is kept for this browser tab only.</p>
      <input
        id="kiln-token"
        type="password"
        autoComplete="off"
        spellCheck={false}
        value={token}
        onChange={(e) => setToken(e.target.value)}
        required
      />
      <button type="submit">Connect</button>
      {error && (
        <p className="error" role="alert">
          {error.message} <span className="code">({error.code})</span>
        </p>
      )}
    </form>
  );
}
