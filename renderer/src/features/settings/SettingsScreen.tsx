// Settings of this workspace: tokens, warmup defaults, DKIM signing, webhooks, OAuth apps, engagement consent, general preferences,
// and the system.
import { useEffect } from 'react';
import { useSettings } from './settings-store';
import { useAppStore } from '../../stores/app';
import { Can } from '../../app/Can';
import { TokensSection } from './TokensSection';
import { WarmupSection } from './WarmupSection';
import { GeneralSection } from './GeneralSection';
import { EngagementSection } from './EngagementSection';
import { SystemSection } from './SystemSection';
import { DkimSection } from './DkimSection';
import { WebhooksSection } from './WebhooksSection';
import { WebhookDeliveryLog } from './WebhookDeliveryLog';
import { OAuthAppsSection } from './OAuthAppsSection';

export function SettingsScreen(): React.JSX.Element {
  const load = useSettings((s) => s.load);
  useEffect(() => void load(), [load]);
  return (
    <div className="settings-screen">
      <div className="page-header">
        <h1>Settings</h1>
      </div>
      <WorkspaceSection />
      {/* Tokens and webhooks are listed to admins only: a read-only session sees neither. */}
      <Can call="tokens.list">
        <TokensSection />
      </Can>
      <WarmupSection />
      <DkimSection />
      <Can call="webhooks.list">
        <WebhooksSection />
        <WebhookDeliveryLog />
      </Can>
      <Can call="oauthApps.list">
        <OAuthAppsSection />
      </Can>
      <EngagementSection />
      <GeneralSection />
      <SystemSection />
    </div>
  );
}

function WorkspaceSection(): React.JSX.Element {
  const workspace = useAppStore((s) => s.workspace);
  const web = useAppStore((s) => s.transport === 'http');
  return (
    <section className="card" aria-labelledby="ws-h">
      <h2 id="ws-h">Workspace</h2>
      {workspace ? (
        <dl className="facts">
          <dt>Name</dt>
          <dd data-testid="settings-workspace">{workspace.name}</dd>
          <dt>Slug</dt>
          <dd className="code">{workspace.slug}</dd>
        </dl>
      ) : (
        <p className="muted">No workspace.</p>
      )}
      {web && (
        <p className="hint">
          Everything on this page belongs to this workspace. To work in another one, use <strong>Workspace</strong> at the bottom of the sidebar: switch
          to a workspace this tab knows, or add one with its token.
        </p>
      )}
    </section>
  );
}
