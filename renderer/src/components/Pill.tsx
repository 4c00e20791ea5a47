// A status in a word, colour-coded by tone (never colour alone): pass/fail of a check, a
// blocklist verdict, where a seed's copy landed, a compliance rule.
import type { ReactNode } from 'react';
import type { Tone } from '../lib/deliverability';

export function Pill({ tone, children, title, status }: { tone: Tone; children: ReactNode; title?: string; status?: string }): React.JSX.Element {
  return (
    <span className={`pill pill-${tone}`} title={title} data-status={status}>
      {children}
    </span>
  );
}
