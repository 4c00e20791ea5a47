// Warmup mail's text: the built-in corpus, or an OpenAI-compatible endpoint. The API key is
// write-only: the form only learns whether one is stored, and can replace or remove it.
import { useState, type FormEvent } from 'react';
import type { WarmupSettings } from '../../../../shared/domain/warmup';
import { useSettings } from './settings-store';

type Content = WarmupSettings['content'];
type Draft = { provider: Content['provider']; url: string; model: string; timeoutMs: string };

function toDraft(content: Content): Draft {
  const openai = content.provider === 'openai' ? content : null;
  return { provider: content.provider, url: openai?.url ?? '', model: openai?.model ?? '', timeoutMs: String(openai?.timeoutMs ?? 8000) };
}

export function ContentForm({ content, keySet }: { content: Content; keySet: boolean }): React.JSX.Element {
  const updateWarmup = useSettings((s) => s.updateWarmup);
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState(false);
  const [draft, setDraft] = useState(() => toDraft(content));
  const { provider, url, model, timeoutMs } = draft;
  const edit = (patch: Partial<Draft>) => (setSaved(false), setDraft((d) => ({ ...d, ...patch })));
  // Saved or reloaded settings replace the draft (the "Saved" note stays).
  const [base, setBase] = useState(content);
  if (base !== content) {
    setBase(content);
    setDraft(toDraft(content));
  }
  const [apiKey, setApiKey] = useState('');
  const save = async (input: Parameters<typeof updateWarmup>[0]) => {
    setBusy(true);
    setSaved(false);
    const ok = await updateWarmup(input);
    setBusy(false);
    setSaved(ok);
    if (ok) setApiKey('');
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const next: Content = provider === 'builtin' ? { provider } : { provider, url: url.trim(), model: model.trim(), timeoutMs: Number(timeoutMs) };
    void save({ content: next, contentApiKey: apiKey.trim() || undefined });
  };

  return (
    <form className="form" onSubmit={submit} aria-label="Warmup content">
      <fieldset>
        <legend>Content of warmup mail</legend>
        <label className="check">
          <input type="radio" name="content-provider" checked={provider === 'builtin'} onChange={() => edit({ provider: 'builtin' })} /> Built-in corpus (no network calls)
        </label>
        <label className="check">
          <input type="radio" name="content-provider" checked={provider === 'openai'} onChange={() => edit({ provider: 'openai' })} /> OpenAI-compatible endpoint (falls back to the corpus when it fails)
        </label>
        {provider === 'openai' && (
          <div className="row">
            <div className="field grow">
              <label htmlFor="content-url">Endpoint URL</label>
              <input id="content-url" type="url" required maxLength={500} value={url} onChange={(e) => edit({ url: e.target.value })} placeholder="https://api.openai.com/v1" />
            </div>
            <div className="field">
              <label htmlFor="content-model">Model</label>
              <input id="content-model" required maxLength={100} value={model} onChange={(e) => edit({ model: e.target.value })} />
            </div>
            <div className="field">
              <label htmlFor="content-timeout">Timeout (ms)</label>
              <input id="content-timeout" type="number" required min={500} max={60000} step={1} value={timeoutMs} onChange={(e) => edit({ timeoutMs: e.target.value })} />
            </div>
          </div>
        )}
        <div className="row">
          <div className="field grow">
            <label htmlFor="content-key">API key</label>
            <input
              id="content-key"
              type="password"
              autoComplete="off"
              maxLength={500}
              value={apiKey}
              onChange={(e) => (setSaved(false), setApiKey(e.target.value))}
              placeholder={keySet ? 'A key is stored: type a new one to replace it' : 'No key stored'}
              aria-describedby="content-key-hint"
            />
          </div>
          {keySet && (
            <button type="button" disabled={busy} onClick={() => void save({ contentApiKey: null })}>
              Remove key
            </button>
          )}
        </div>
        <p className="hint" id="content-key-hint" data-testid="content-key-state">
          {keySet ? 'A key is stored in the secret store. It is never shown again.' : 'No key is stored. The key goes to the secret store, never to the database.'}
        </p>
      </fieldset>
      <div className="actions">
        {saved && (
          <span className="ok" role="status">
            Saved
          </span>
        )}
        <button type="submit" className="primary" disabled={busy}>
          Save content settings
        </button>
      </div>
    </form>
  );
}
