import { securityModes } from '../../../../shared/domain/mailbox';
import type { ServerForm } from '../../lib/mailbox-form';
import { issueAt, type FieldIssue } from '../../lib/issues';

const securityLabel = { tls: 'TLS', starttls: 'STARTTLS', none: 'None (loopback only)' } as const;

/** One labelled input with the core's complaint about it underneath. */
function Field(props: {
  label: string;
  name: string;
  value: string;
  onChange: (v: string) => void;
  error: string | null;
  grow?: boolean;
  input?: React.InputHTMLAttributes<HTMLInputElement>;
}): React.JSX.Element {
  const errId = `${props.name}-error`;
  return (
    <div className={props.grow ? 'field grow' : 'field'}>
      <label htmlFor={props.name}>{props.label}</label>
      <input
        id={props.name}
        name={props.name}
        value={props.value}
        onChange={(e) => props.onChange(e.target.value)}
        aria-invalid={props.error ? true : undefined}
        aria-describedby={props.error ? errId : undefined}
        {...props.input}
      />
      {props.error && (
        <span className="field-error" id={errId}>
          {props.error}
        </span>
      )}
    </div>
  );
}

/** Host, port, security, user and password of one protocol, each with its label and error; no password when the mailbox signs in with OAuth. */
export function ServerFields(props: { name: 'SMTP' | 'IMAP'; value: ServerForm; onChange: (v: ServerForm) => void; existing: boolean; issues: FieldIssue[]; password?: boolean }): React.JSX.Element {
  const { name, value, existing, issues } = props;
  const id = name.toLowerCase();
  const set = (patch: Partial<ServerForm>) => props.onChange({ ...value, ...patch });
  const err = (field: string) => issueAt(issues, `${id}.${field}`);
  return (
    <fieldset>
      <legend>{name}</legend>
      <div className="row">
        <Field grow label={`${name} host`} name={`${id}-host`} value={value.host} onChange={(host) => set({ host })} error={err('host')} input={{ autoComplete: 'off', spellCheck: false }} />
        <Field label={`${name} port`} name={`${id}-port`} value={value.port} onChange={(port) => set({ port })} error={err('port')} input={{ inputMode: 'numeric', size: 6 }} />
        <div className="field">
          <label htmlFor={`${id}-security`}>{name} security</label>
          <select id={`${id}-security`} name={`${id}-security`} value={value.security} onChange={(e) => set({ security: e.target.value as ServerForm['security'] })}>
            {securityModes.map((m) => (
              <option key={m} value={m}>
                {securityLabel[m]}
              </option>
            ))}
          </select>
        </div>
      </div>
      <div className="row">
        <Field grow label={`${name} user (default: the address)`} name={`${id}-user`} value={value.user} onChange={(user) => set({ user })} error={err('user')} input={{ autoComplete: 'off', spellCheck: false }} />
        {props.password !== false && (
        <Field
          grow
          label={`${name} password`}
          name={`${id}-password`}
          value={value.password}
          onChange={(password) => set({ password })}
          error={err('password')}
          input={{ type: 'password', required: !existing, placeholder: existing ? 'unchanged' : '', autoComplete: 'new-password' }}
        />
        )}
      </div>
    </fieldset>
  );
}
