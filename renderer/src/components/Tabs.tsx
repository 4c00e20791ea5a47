// The tabs pattern (WAI-ARIA): one tab stop for the list, arrow keys and Home/End move between
// tabs, Tab moves on into the panel. The caller decides what choosing a tab does (state or address).
import { useRef, type KeyboardEvent, type ReactNode } from 'react';

export function TabList<T extends string>(props: {
  label: string;
  /** Prefix of the tab and panel ids (`<id>-tab-<tab>`, `<id>-panel`). */
  id: string;
  tabs: ReadonlyArray<{ id: T; label: string }>;
  current: T;
  onSelect: (tab: T) => void;
}): React.JSX.Element {
  const { tabs, current, onSelect, id } = props;
  const buttons = useRef<Array<HTMLButtonElement | null>>([]);
  const onKey = (e: KeyboardEvent) => {
    const at = tabs.findIndex((t) => t.id === current);
    const to = { ArrowRight: at + 1, ArrowLeft: at - 1, Home: 0, End: tabs.length - 1 }[e.key];
    if (to === undefined) return;
    e.preventDefault();
    const next = (to + tabs.length) % tabs.length;
    onSelect(tabs[next]!.id);
    buttons.current[next]?.focus();
  };
  return (
    <div className="tabs" role="tablist" aria-label={props.label} onKeyDown={onKey}>
      {tabs.map((t, i) => (
        <button
          key={t.id}
          ref={(el) => void (buttons.current[i] = el)}
          id={`${id}-tab-${t.id}`}
          type="button"
          role="tab"
          aria-selected={t.id === current}
          aria-controls={`${id}-panel`}
          tabIndex={t.id === current ? 0 : -1}
          className={t.id === current ? 'tab active' : 'tab'}
          onClick={() => onSelect(t.id)}
        >
          {t.label}
        </button>
      ))}
    </div>
  );
}

export function TabPanel({ id, current, children }: { id: string; current: string; children: ReactNode }): React.JSX.Element {
  return (
    <div role="tabpanel" id={`${id}-panel`} aria-labelledby={`${id}-tab-${current}`}>
      {children}
    </div>
  );
}
