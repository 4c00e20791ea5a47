import { useState, type FormEvent } from 'react';
import type { RecipientListKind } from '../../../../shared/domain/recipient';
import { useRecipients } from './recipients-store';

/** Add one seed or contact by hand. */
export function AddRecipientForm({ kind }: { kind: RecipientListKind }): React.JSX.Element {
  const add = useRecipients((s) => s.add);
  const [address, setAddress] = useState('');
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    const ok = await add(kind, address.trim(), name);
    setBusy(false);
    if (ok) {
      setAddress('');
      setName('');
    }
  };
  const one = kind === 'seed' ? 'seed' : 'contact';
  return (
    <form className="row add-form" onSubmit={(e) => void submit(e)} aria-label={`Add a ${one}`}>
      <div className="field grow">
        <label htmlFor={`${kind}-add-address`}>Add a {one}: email address</label>
        <input id={`${kind}-add-address`} type="email" value={address} onChange={(e) => setAddress(e.target.value)} required maxLength={320} autoComplete="off" />
      </div>
      <div className="field">
        <label htmlFor={`${kind}-add-name`}>Name (optional)</label>
        <input id={`${kind}-add-name`} value={name} onChange={(e) => setName(e.target.value)} maxLength={200} autoComplete="off" />
      </div>
      <button type="submit" disabled={busy}>
        Add {one}
      </button>
    </form>
  );
}
