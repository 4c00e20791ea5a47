import { useState, type FormEvent } from 'react';
import { scopes, type Scope } from '../../../../shared/api/define';
import { useSettings } from './settings-store';

const about: Record<Scope, string> = {
  read: 'read: see everything',
  send: 'send: also send mail through the API',
  admin: 'admin: also change settings, mailboxes and tokens',
};

/** Name and scopes of a new token; the secret comes back once, in NewTokenDialog. */
export function CreateTokenForm(): React.JSX.Element {
  const createToken = useSettings((s) => s.createToken);
  const [name, setName] = useState('');
  const [chosen, setChosen] = useState<Scope[]>(['read']);
  const [busy, setBusy] = useState(false);
  const toggle = (scope: Scope, on: boolean) => setChosen((c) => (on ? scopes.filter((s) => s === scope || c.includes(s)) : c.filter((s) => s !== scope)));
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    const ok = await createToken({ name: name.trim(), scopes: chosen });
    setBusy(false);
    if (ok) {
      setName('');
      setChosen(['read']);
    }
  };
  return (
    <form className="form token-create" onSubmit={(e) => void submit(e)} aria-label="Create token">
      <div className="row">
        <div className="field grow">
          <label htmlFor="token-name">Token name</label>
          <input id="token-name" value={name} onChange={(e) => setName(e.target.value)} required maxLength={100} placeholder="e.g. CRM integration" autoComplete="off" />
        </div>
        <fieldset className="row">
          <legend>Scopes</legend>
          {scopes.map((s) => (
            <label className="check" key={s} title={about[s]}>
              <input type="checkbox" name="scopes" value={s} checked={chosen.includes(s)} onChange={(e) => toggle(s, e.target.checked)} /> {s}
            </label>
          ))}
        </fieldset>
        <button type="submit" className="primary" disabled={busy || chosen.length === 0 || name.trim() === ''}>
          Create token
        </button>
      </div>
      <p className="hint">{chosen.length === 0 ? 'Choose at least one scope.' : 'Each scope includes the ones before it: ' + scopes.map((s) => about[s]).join('; ') + '.'}</p>
    </form>
  );
}
