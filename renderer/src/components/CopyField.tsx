// A value to copy somewhere else (a DNS record, a signing secret): read-only, selected on focus,
// and a Copy button that falls back to selecting the text where the clipboard API is missing.
import { useId, useRef, useState } from 'react';

export function CopyField({ label, value, multiline = false, testId }: { label: string; value: string; multiline?: boolean; testId?: string }): React.JSX.Element {
  const id = useId();
  const field = useRef<HTMLInputElement & HTMLTextAreaElement>(null);
  const [copied, setCopied] = useState<'yes' | 'select' | null>(null);
  const copy = async () => {
    try {
      if (!navigator.clipboard) throw new Error('no clipboard');
      await navigator.clipboard.writeText(value);
      setCopied('yes');
    } catch {
      // No clipboard (plain http on another host, or permission refused): select it for Ctrl+C.
      field.current?.focus();
      field.current?.select();
      setCopied('select');
    }
  };
  const common = {
    id,
    ref: field,
    className: 'code wide',
    readOnly: true,
    value,
    spellCheck: false,
    onFocus: (e: React.FocusEvent<HTMLInputElement | HTMLTextAreaElement>) => e.currentTarget.select(),
    'data-testid': testId,
  };
  return (
    <div className="field copy-field">
      <label htmlFor={id}>{label}</label>
      <div className="row nowrap-row">
        {multiline ? <textarea {...common} rows={4} /> : <input {...common} />}
        <button type="button" onClick={() => void copy()} aria-label={`Copy ${label}`}>
          {copied === 'yes' ? 'Copied' : 'Copy'}
        </button>
      </div>
      <span className="muted" role="status">
        {copied === 'yes' ? 'Copied to the clipboard.' : copied === 'select' ? 'The clipboard is not available here: the text is selected, press Ctrl+C (⌘C on a Mac).' : ''}
      </span>
    </div>
  );
}
