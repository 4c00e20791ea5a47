import { useAppStore } from '../stores/app';

/** Workspace name and mailbox count: the first real data the placeholder page shows. */
export function Summary(): React.JSX.Element | null {
  const workspace = useAppStore((s) => s.workspace);
  const mailboxCount = useAppStore((s) => s.mailboxCount);
  if (!workspace) return null;
  return (
    <dl className="card summary">
      <dt>Workspace</dt>
      <dd data-testid="workspace-name">{workspace.name}</dd>
      <dt>Mailboxes</dt>
      <dd data-testid="mailbox-count">{mailboxCount ?? '…'}</dd>
    </dl>
  );
}
