import { useAppStore } from '../stores/app';

/**
 * The workspace this window works in. In the browser each workspace is reached with its own
 * token: the switcher lists the ones this tab holds and can add another. The desktop app works
 * in its default workspace.
 */
export function WorkspaceSwitcher(): React.JSX.Element | null {
  const workspace = useAppStore((s) => s.workspace);
  const sessions = useAppStore((s) => s.sessions);
  const transport = useAppStore((s) => s.transport);
  const switchWorkspace = useAppStore((s) => s.switchWorkspace);
  const addWorkspace = useAppStore((s) => s.addWorkspace);
  const signOut = useAppStore((s) => s.signOut);
  if (!workspace) return null;

  return (
    <div className="workspace">
      <label htmlFor="workspace-select" className="muted">
        Workspace
      </label>
      {transport === 'http' && sessions.length > 1 ? (
        <select id="workspace-select" value={workspace.id} onChange={(e) => switchWorkspace(e.target.value)}>
          {sessions.map((s) => (
            <option key={s.workspaceId} value={s.workspaceId}>
              {s.name}
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
      {transport === 'http' && (
        <div className="workspace-actions">
          <button type="button" className="link" onClick={addWorkspace}>
            Add workspace
          </button>
          <button type="button" className="link" onClick={signOut}>
            Sign out
          </button>
        </div>
      )}
    </div>
  );
}
