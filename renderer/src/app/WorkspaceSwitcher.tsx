import { useState, type FormEvent } from 'react';
import { useAppStore } from '../stores/app';

/**
 * The workspace this window works in (one per client of the consultant). In the browser each
 * workspace is reached with its own token: the switcher lists the ones this tab holds and can add
 * another. On the desktop the owner sees every workspace of this Kiln and can add one.
 */
export function WorkspaceSwitcher(): React.JSX.Element | null {
  const workspace = useAppStore((s) => s.workspace);
  const sessions = useAppStore((s) => s.sessions);
  const workspaces = useAppStore((s) => s.workspaces);
  const transport = useAppStore((s) => s.transport);
  const switchWorkspace = useAppStore((s) => s.switchWorkspace);
  const addWorkspace = useAppStore((s) => s.addWorkspace);
  const signOut = useAppStore((s) => s.signOut);
  if (!workspace) return null;
  const choices = transport === 'ipc' ? workspaces.map((w) => ({ id: w.id, name: w.name })) : sessions.map((s) => ({ id: s.workspaceId, name: s.name }));

  return (
    <div className="workspace">
      <label htmlFor="workspace-select" className="muted">
        Workspace
      </label>
      {choices.length > 1 ? (
        <select id="workspace-select" value={workspace.id} onChange={(e) => switchWorkspace(e.target.value)}>
          {choices.map((c) => (
            <option key={c.id} value={c.id}>
              {c.name}
            </option>
          ))}
        </select>
      ) : (
        <output id="workspace-select" data-testid="workspace-name">
          {workspace.name}
        </output>
      )}
      <span className="badge" title="How this page reaches the core">
        {transport === 'ipc' ? 'desktop' : 'web'}
      </span>
      {transport === 'http' ? (
        <div className="workspace-actions">
          <button type="button" className="link" onClick={addWorkspace}>
            Add workspace
          </button>
          <button type="button" className="link" onClick={signOut}>
            Sign out
          </button>
        </div>
      ) : (
        <NewWorkspace />
      )}
    </div>
  );
}

/** Desktop: name a new workspace (a new client) and move to it. */
function NewWorkspace(): React.JSX.Element {
  const createWorkspace = useAppStore((s) => s.createWorkspace);
  const error = useAppStore((s) => s.error);
  const [open, setOpen] = useState(false);
  const [name, setName] = useState('');
  if (!open) {
    return (
      <div className="workspace-actions">
        <button type="button" className="link" onClick={() => setOpen(true)}>
          New workspace
        </button>
      </div>
    );
  }
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void createWorkspace(name);
  };
  return (
    <form className="token-form" onSubmit={submit}>
      <label htmlFor="new-workspace">Name</label>
      <input id="new-workspace" value={name} onChange={(e) => setName(e.target.value)} placeholder="e.g. Acme Corp" maxLength={100} required autoFocus />
      {error && <p className="error">{error.message}</p>}
      <div className="workspace-actions">
        <button type="submit">Create</button>
        <button type="button" className="link" onClick={() => setOpen(false)}>
          Cancel
        </button>
      </div>
    </form>
  );
}
