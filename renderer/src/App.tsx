import { useEffect } from 'react';
import { useAppStore } from './stores/app';
import { Summary } from './components/Summary';
import { TokenForm } from './components/TokenForm';

// Placeholder page: the real UI (features/, charts, settings) comes later. It already talks to the
// core through the one typed client, over IPC on the desktop and over HTTP in a browser.
export function App(): React.JSX.Element {
  const status = useAppStore((s) => s.status);
  const transport = useAppStore((s) => s.transport);
  const error = useAppStore((s) => s.error);
  const start = useAppStore((s) => s.start);
  const refresh = useAppStore((s) => s.refresh);
  const signOut = useAppStore((s) => s.signOut);

  useEffect(() => {
    void start();
  }, [start]);

  return (
    <main className="app">
      <header>
        <h1>Kiln</h1>
        <span className="badge" title="How this page reaches the core">
          {transport === 'ipc' ? 'desktop' : 'web'}
        </span>
      </header>

      {status === 'needs-token' && <TokenForm />}
      {status === 'loading' && <p className="muted">Connecting…</p>}
      {status === 'ready' && <Summary />}
      {status === 'error' && error && (
        <div className="card">
          <p className="error" role="alert">
            {error.message} <span className="code">({error.code})</span>
          </p>
          <button type="button" onClick={() => void refresh()}>
            Retry
          </button>
        </div>
      )}

      {transport === 'http' && status === 'ready' && (
        <button type="button" className="link" onClick={signOut}>
          Use another token
        </button>
      )}
    </main>
  );
}
