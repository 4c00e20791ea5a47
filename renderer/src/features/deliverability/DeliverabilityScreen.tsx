// Deliverability: the sending domains (DNS checks, bulk-sender rules), blocklists, DMARC reports,
// inbox placement tests and alerts, one tab each; the tab (and an open domain or test) is in the
// address, so a link or the back button lands on the same view.
import { normalizeDomain } from '../../../../shared/domain/auth-check';
import { useRouter, type DeliverabilityTab, type Route } from '../../app/router';
import { TabList, TabPanel } from '../../components/Tabs';
import { ErrorBox } from '../../components/status';
import { AlertsTab } from './AlertsTab';
import { BlocklistsTab } from './BlocklistsTab';
import { DmarcTab } from './DmarcTab';
import { DomainDetail } from './DomainDetail';
import { DomainsTab } from './DomainsTab';
import { PlacementTab } from './PlacementTab';

const tabs: Array<{ id: DeliverabilityTab; label: string }> = [
  { id: 'domains', label: 'Domains' },
  { id: 'blocklists', label: 'Blocklists' },
  { id: 'dmarc', label: 'DMARC' },
  { id: 'placement', label: 'Placement tests' },
  { id: 'alerts', label: 'Alerts' },
];

function Domains({ domain }: { domain?: string }): React.JSX.Element {
  if (domain === undefined) return <DomainsTab />;
  const normal = normalizeDomain(domain);
  if (!normal) return <ErrorBox error={{ code: 'VALIDATION_FAILED', message: `“${domain}” is not a domain name` }} />;
  // Keyed: another domain starts with a fresh form, not the last one's IP and selectors.
  return <DomainDetail key={normal} domain={normal} />;
}

export function DeliverabilityScreen({ route }: { route: Extract<Route, { name: 'deliverability' }> }): React.JSX.Element {
  const go = useRouter((s) => s.go);
  return (
    <div className="deliverability-screen">
      <div className="page-header">
        <h1>Deliverability</h1>
      </div>
      <TabList label="Deliverability sections" id="deliverability" tabs={tabs} current={route.tab} onSelect={(tab) => go({ name: 'deliverability', tab })} />
      <TabPanel id="deliverability" current={route.tab}>
        {route.tab === 'domains' && <Domains domain={route.domain} />}
        {route.tab === 'blocklists' && <BlocklistsTab />}
        {route.tab === 'dmarc' && <DmarcTab />}
        {route.tab === 'placement' && <PlacementTab test={route.test} />}
        {route.tab === 'alerts' && <AlertsTab />}
      </TabPanel>
    </div>
  );
}
