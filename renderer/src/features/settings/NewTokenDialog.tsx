// A new token's secret, once: copy it (or select it where the clipboard API is not available),
// then it is dropped from memory when the dialog closes.
import { useRef, useState } from 'react';
import { useSettings } from './settings-store';
import { Dialog } from '../../components/Dialog';

export function NewTokenDialog(): React.JSX.Element {
  const created = useSettings((s) => s.created);
  const forgetCreated = useSettings((s) => s.forgetCreated);
  return (
    <Dialog title="New API token" open={created !== null} onClose={forgetCreated}>
      {created && <SecretBody name={created.name} secret={created.token} onDone={forgetCreated} />}
    </Dialog>
  );
}

function SecretBody({ name, secret, onDone }: { name: string; secret: string; onDone: () => void }): React.JSX.Element {
  const input = useRef<HTMLInputElement>(null);
  const [copied, setCopied] = useState<'yes' | 'select' | null>(null);
  const copy = async () => {
    try {
      if (!navigator.clipboard) throw new Error('no clipboard');
      await navigator.clipboard.writeText(secret);
      setCopied('yes');
    } catch {
      // No clipboard API (plain http on another host, or permission refused): select it for Ctrl+C.
      input.current?.focus();
      input.current?.select();
      setCopied('select');
    }
  };
  return (
    <div className="form">
      <p className="warning" role="note">
        <strong>Copy the token now: it will not be shown again.</strong> Kiln keeps only a hash of it; if it is lost, revoke it and create another.
      </p>
      <div className="field">
        <label htmlFor="new-token">Token &ldquo;{name}&rdquo;</label>
        <input id="new-token" ref={input} className="code wide" readOnly value={secret} onFocus={(e) => e.currentTarget.select()} spellCheck={false} />
      </div>
      <p className="muted" role="status">
        {copied === 'yes' ? 'Copied to the clipboard.' : copied === 'select' ? 'The clipboard is not available here: the token is selected, press Ctrl+C (⌘C on a Mac).' : ''}
      </p>
      <div className="actions">
        <button type="button" onClick={() => void copy()}>
          {copied === 'yes' ? 'Copied' : 'Copy'}
        </button>
        <button type="button" className="primary" onClick={onDone}>
          Done
        </button>
      </div>
    </div>
  );
}
