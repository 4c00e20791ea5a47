// What this page may do, said once in the shell: a read-only token sees every screen without the
// controls it cannot use, and this badge tells why they are missing.
import { useAppStore, useCan, useReadOnly } from '../stores/app';

export function AccessBadge(): React.JSX.Element | null {
  const session = useAppStore((s) => s.session);
  const readOnly = useReadOnly();
  const admin = useCan('mailboxes.update');
  if (!session || admin) return null;
  const who = session.tokenName ? `The token “${session.tokenName}”` : 'This session';
  const scopes = session.scopes.join(', ') || 'none';
  return (
    <p className="badge access-badge" role="status" data-testid="access-badge" title={`${who} has the scopes: ${scopes}. Changing settings needs a token with the admin scope.`}>
      {readOnly ? 'Read-only access' : `Limited access (${scopes})`}
    </p>
  );
}
