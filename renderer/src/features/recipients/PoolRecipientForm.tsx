import { useState, type FormEvent } from 'react';
import { providers, type Provider } from '../../../../shared/domain/mailbox';
import { useRecipients } from './recipients-store';

const blank = { address: '', name: '', provider: 'custom' as Provider, dailyCap: '' };

/** Add an external pool recipient: address, name, provider and how much warmup mail it takes a day. */
export function PoolRecipientForm(): React.JSX.Element {
  const addPoolRecipient = useRecipients((s) => s.addPoolRecipient);
  const [form, setForm] = useState(blank);
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    const cap = form.dailyCap.trim() === '' ? null : Number(form.dailyCap);
    const ok = await addPoolRecipient({ address: form.address.trim(), name: form.name.trim() || undefined, provider: form.provider, dailyCap: cap });
    setBusy(false);
    if (ok) setForm(blank);
  };
  return (
    <form className="row add-form" onSubmit={(e) => void submit(e)} aria-label="Add an external pool recipient">
      <div className="field grow">
        <label htmlFor="pool-address">Email address</label>
        <input id="pool-address" type="email" required maxLength={320} autoComplete="off" value={form.address} onChange={(e) => setForm({ ...form, address: e.target.value })} />
      </div>
      <div className="field">
        <label htmlFor="pool-name">Name (optional)</label>
        <input id="pool-name" maxLength={200} autoComplete="off" value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} />
      </div>
      <div className="field">
        <label htmlFor="pool-provider">Provider</label>
        <select id="pool-provider" value={form.provider} onChange={(e) => setForm({ ...form, provider: e.target.value as Provider })}>
          {providers.map((p) => (
            <option key={p} value={p}>
              {p}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="pool-cap">Daily cap (optional)</label>
        <input id="pool-cap" type="number" min={1} max={500} step={1} inputMode="numeric" placeholder="default" value={form.dailyCap} onChange={(e) => setForm({ ...form, dailyCap: e.target.value })} />
      </div>
      <button type="submit" disabled={busy}>
        Add to pool
      </button>
    </form>
  );
}
