import { useEffect } from 'react';
import { useSettings } from '../../stores/settings';
import { useAppStore } from '../../stores/app';
import { ErrorBox } from '../../components/status';
import { TokensSection } from './TokensSection';
import { SystemSection } from './SystemSection';
import { GeneralSection } from './GeneralSection';

export function SettingsScreen(): React.JSX.Element {
  const load = useSettings((s) => s.load);
  const actionError = useSettings((s) => s.actionError);
  const workspace = useAppStore((s) => s.workspace);
  const transport = useAppStore((s) => s.transport);
  useEffect(() => void load(), [load]);
  return (
    <>
      <div className="page-header">
        <h1>Settings</h1>
      </div>
      {actionError && <ErrorBox error={actionError} />}
      <section className="card" aria-labelledby="ws-h">
        <h2 id="ws-h">Workspace</h2>
        <p>
          {workspace?.name} <span className="muted code">({workspace?.slug})</span>
        </p>
        {transport === 'http' && <p className="hint">Each workspace has its own tokens; switch or add workspaces at the bottom of the sidebar.</p>}
      </section>
      <TokensSection />
      <GeneralSection />
      <SystemSection />
    </>
  );
}
