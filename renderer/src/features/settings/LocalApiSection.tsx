// Desktop only: the switch for the local REST API and web UI (the same server `kiln serve` runs,
// on 127.0.0.1 only, with the workspace's API tokens), its port, and where it listens now.
import { useEffect, useState, type FormEvent } from 'react';
import type { Preferences } from '../../../../shared/domain/preferences';
import { VerdictBadge } from '../../components/VerdictBadge';
import { useSettings } from './settings-store';
import { useLocalApi } from './local-api-store';

export function LocalApiSection({ pref }: { pref: Preferences['desktop']['localApi'] }): React.JSX.Element {
  const updatePreferences = useSettings((s) => s.updatePreferences);
  const status = useLocalApi((s) => s.status.data);
  const load = useLocalApi((s) => s.load);
  useEffect(() => void load(), [load]);
  const [port, setPort] = useState(String(pref.port));
  const [base, setBase] = useState(pref.port);
  if (base !== pref.port) {
    setBase(pref.port);
    setPort(String(pref.port));
  }
  const n = Number(port);
  const portOk = Number.isInteger(n) && n >= 1024 && n <= 65535;
  const savePort = (e: FormEvent) => {
    e.preventDefault();
    if (portOk) void updatePreferences({ desktop: { localApi: { port: n } } });
  };
  return (
    <div className="local-api" data-testid="local-api">
      <label className="check">
        <input type="checkbox" checked={pref.enabled} onChange={(e) => void updatePreferences({ desktop: { localApi: { enabled: e.target.checked } } })} /> Serve the API and web UI
        on this computer (127.0.0.1 only; callers need an API token)
      </label>
      <form className="row" onSubmit={savePort} aria-label="Local API port">
        <div className="field">
          <label htmlFor="local-api-port">Port</label>
          <input id="local-api-port" inputMode="numeric" value={port} onChange={(e) => setPort(e.target.value)} aria-invalid={!portOk} />
        </div>
        <button type="submit" disabled={!portOk || n === pref.port}>
          Save port
        </button>
      </form>
      {!portOk && <p className="error">The port is a number from 1024 to 65535.</p>}
      {status && (
        <p data-testid="local-api-status" data-state={status.state}>
          <VerdictBadge verdict={status.verdict} />{' '}
          {status.state === 'on' && status.url ? (
            <>
              Listening at <code>{status.url}</code> (port {status.port}); the API is at <code>{status.url}/api/v1</code>.
            </>
          ) : status.state === 'error' && status.error ? (
            <span className="error">
              {status.error.message} ({status.error.code})
            </span>
          ) : (
            status.verdict.detail
          )}
        </p>
      )}
    </div>
  );
}
