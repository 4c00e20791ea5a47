import { securityModes } from '../../../../shared/domain/mailbox';
import type { ServerForm } from '../../stores/mailbox-editor';

/** Host, port, security, user and password of one protocol, each with its label. */
export function ServerFields({ name, value, onChange, editing }: { name: 'SMTP' | 'IMAP'; value: ServerForm; onChange: (v: ServerForm) => void; editing: boolean }): React.JSX.Element {
  const id = name.toLowerCase();
  const set = (patch: Partial<ServerForm>) => onChange({ ...value, ...patch });
  return (
    <fieldset>
      <legend>{name}</legend>
      <div className="row">
        <label className="field grow">
          <span>{name} host</span>
          <input name={`${id}-host`} value={value.host} onChange={(e) => set({ host: e.target.value })} required autoComplete="off" />
        </label>
        <label className="field">
          <span>{name} port</span>
          <input name={`${id}-port`} inputMode="numeric" size={6} value={value.port} onChange={(e) => set({ port: e.target.value })} required />
        </label>
        <label className="field">
          <span>{name} security</span>
          <select name={`${id}-security`} value={value.security} onChange={(e) => set({ security: e.target.value as ServerForm['security'] })}>
            {securityModes.map((m) => (
              <option key={m} value={m}>
                {m === 'tls' ? 'TLS' : m === 'starttls' ? 'STARTTLS' : 'None (loopback only)'}
              </option>
            ))}
          </select>
        </label>
      </div>
      <div className="row">
        <label className="field grow">
          <span>{name} user (default: the address)</span>
          <input name={`${id}-user`} value={value.user} onChange={(e) => set({ user: e.target.value })} autoComplete="off" />
        </label>
        <label className="field grow">
          <span>{name} password</span>
          <input
            name={`${id}-password`}
            type="password"
            value={value.password}
            onChange={(e) => set({ password: e.target.value })}
            required={!editing}
            placeholder={editing ? 'unchanged' : ''}
            autoComplete="new-password"
          />
        </label>
      </div>
    </fieldset>
  );
}
