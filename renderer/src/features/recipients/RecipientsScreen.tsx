// Who receives mail: the warmup pool and seeds (placement tests); contacts are an address list.
import { useRef, useState, type KeyboardEvent } from 'react';
import { PoolSection } from './PoolSection';
import { ListSection } from './ListSection';
import { ImportDialog } from './ImportDialog';

type Tab = 'pool' | 'seed' | 'contact';
const tabs: Array<{ id: Tab; label: string }> = [
  { id: 'pool', label: 'Warmup pool' },
  { id: 'seed', label: 'Seeds' },
  { id: 'contact', label: 'Contacts' },
];

export function RecipientsScreen(): React.JSX.Element {
  const [tab, setTab] = useState<Tab>('pool');
  const buttons = useRef<Array<HTMLButtonElement | null>>([]);
  // The tabs pattern: arrow keys (and Home/End) move between tabs, Tab moves into the panel.
  const onKey = (e: KeyboardEvent) => {
    const at = tabs.findIndex((t) => t.id === tab);
    const to = { ArrowRight: at + 1, ArrowLeft: at - 1, Home: 0, End: tabs.length - 1 }[e.key];
    if (to === undefined) return;
    e.preventDefault();
    const next = (to + tabs.length) % tabs.length;
    setTab(tabs[next]!.id);
    buttons.current[next]?.focus();
  };
  return (
    <div className="recipients-screen">
      <div className="page-header">
        <h1>Recipients</h1>
      </div>
      <div className="tabs" role="tablist" aria-label="Recipient lists" onKeyDown={onKey}>
        {tabs.map((t, i) => (
          <button
            key={t.id}
            ref={(el) => void (buttons.current[i] = el)}
            id={`recipients-tab-${t.id}`}
            type="button"
            role="tab"
            aria-selected={t.id === tab}
            aria-controls="recipients-panel"
            tabIndex={t.id === tab ? 0 : -1}
            className={t.id === tab ? 'tab active' : 'tab'}
            onClick={() => setTab(t.id)}
          >
            {t.label}
          </button>
        ))}
      </div>
      <div role="tabpanel" id="recipients-panel" aria-labelledby={`recipients-tab-${tab}`}>
        {tab === 'pool' ? <PoolSection /> : <ListSection key={tab} kind={tab} />}
      </div>
      <ImportDialog />
    </div>
  );
}
