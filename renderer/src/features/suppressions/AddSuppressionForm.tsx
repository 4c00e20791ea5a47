// Suppress one address by hand: checked as an address first, then confirmed (Kiln will never send to it).
import { useState, type FormEvent } from 'react';
import { z } from 'zod';
import { ConfirmDialog } from '../../components/Dialog';
import { useSuppressions } from './suppressions-store';

// The API's own rule for an address.
const emailRule = z.email().max(320);

export function AddSuppressionForm(): React.JSX.Element {
  const add = useSuppressions((s) => s.add);
  const [address, setAddress] = useState('');
  const [detail, setDetail] = useState('');
  const [invalid, setInvalid] = useState<string | null>(null);
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const a = address.trim();
    if (!emailRule.safeParse(a).success) return setInvalid(`“${a}” is not a valid email address.`);
    setInvalid(null);
    setAsking(true);
  };
  const confirm = async () => {
    setBusy(true);
    const ok = await add(address.trim(), detail);
    setBusy(false);
    setAsking(false);
    if (ok) {
      setAddress('');
      setDetail('');
    }
  };
  return (
    <>
      <form className="row add-form" onSubmit={submit} aria-label="Suppress an address" noValidate>
        <div className="field grow">
          <label htmlFor="sup-add-address">Email address to suppress</label>
          <input
            id="sup-add-address"
            type="email"
            value={address}
            aria-invalid={invalid !== null}
            aria-describedby={invalid ? 'sup-add-invalid' : undefined}
            onChange={(e) => setAddress(e.target.value)}
            maxLength={320}
            autoComplete="off"
          />
          {invalid && (
            <span id="sup-add-invalid" className="error" role="alert">
              {invalid}
            </span>
          )}
        </div>
        <div className="field">
          <label htmlFor="sup-add-detail">Note (optional)</label>
          <input id="sup-add-detail" value={detail} onChange={(e) => setDetail(e.target.value)} maxLength={500} autoComplete="off" />
        </div>
        <button type="submit" disabled={address.trim() === ''}>
          Suppress
        </button>
      </form>
      <ConfirmDialog title="Suppress address" open={asking} busy={busy} confirmLabel="Suppress" onClose={() => setAsking(false)} onConfirm={() => void confirm()}>
        <p>
          Never send to <strong>{address.trim()}</strong> from this workspace? Warmup, placement tests and the API all skip it until you remove it here.
        </p>
      </ConfirmDialog>
    </>
  );
}
