// Who receives mail: the warmup pool, seeds (placement tests) and contacts (broadcasts).
import { useState } from 'react';
import { useRecipients } from '../../stores/recipients';
import { ErrorBox } from '../../components/status';
import { PoolSection } from './PoolSection';
import { ListSection } from './ListSection';
import { ImportDialog } from './ImportDialog';

type Tab = 'pool' | 'seed' | 'contact';
const tabs: Array<[Tab, string]> = [
  ['pool', 'Warmup pool'],
  ['seed', 'Seeds'],
  ['contact', 'Contacts'],
];

export function RecipientsScreen(): React.JSX.Element {
  const [tab, setTab] = useState<Tab>('seed');
  const actionError = useRecipients((s) => s.actionError);
  return (
    <>
      <div className="page-header">
        <h1>Recipients</h1>
      </div>
      <div className="tabs" role="tablist" aria-label="Recipient lists">
        {tabs.map(([t, label]) => (
          <button key={t} type="button" role="tab" aria-selected={t === tab} className={t === tab ? 'tab active' : 'tab'} onClick={() => setTab(t)}>
            {label}
          </button>
        ))}
      </div>
      {actionError && <ErrorBox error={actionError} />}
      <div role="tabpanel">{tab === 'pool' ? <PoolSection /> : <ListSection key={tab} kind={tab} />}</div>
      <ImportDialog />
    </>
  );
}
