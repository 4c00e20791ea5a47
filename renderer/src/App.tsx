import { useEffect } from 'react';
import { useAppStore } from './stores/app';
import { Shell } from './app/Shell';
import { TokenForm } from './components/TokenForm';
import { ErrorBox, Loading } from './components/status';

/** The connection gate: a token in the browser (asked once per tab), then the app. */
export function App(): React.JSX.Element {
  const status = useAppStore((s) => s.status);
  const error = useAppStore((s) => s.error);
  const start = useAppStore((s) => s.start);
  const refresh = useAppStore((s) => s.refresh);

  useEffect(() => {
    void start();
  }, [start]);

  if (status === 'ready') return <Shell />;
  return (
    <main className="gate">
      <h1 className="brand">Kiln</h1>
      {status === 'needs-token' && <TokenForm />}
      {(status === 'loading' || status === 'idle') && <Loading label="Connecting…" />}
      {status === 'error' && error && <ErrorBox error={error} onRetry={() => void refresh()} />}
    </main>
  );
}
