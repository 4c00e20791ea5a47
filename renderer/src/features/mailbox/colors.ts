import { useEffect, useState } from 'react';

export type ChartColors = Record<'sent' | 'inbox' | 'spam' | 'bounced' | 'missing' | 'border' | 'muted' | 'accent', string>;

function read(): ChartColors {
  const style = getComputedStyle(document.documentElement);
  const v = (n: string) => style.getPropertyValue(n).trim();
  return {
    sent: v('--c-sent'),
    inbox: v('--c-inbox'),
    spam: v('--c-spam'),
    bounced: v('--c-bounced'),
    missing: v('--c-missing'),
    border: v('--border'),
    muted: v('--muted'),
    accent: v('--accent'),
  };
}

/** The theme's chart colours (CSS variables), re-read when the system switches light/dark. */
export function useChartColors(): ChartColors {
  const [colors, setColors] = useState(read);
  useEffect(() => {
    const mq = matchMedia('(prefers-color-scheme: dark)');
    const update = () => setColors(read());
    mq.addEventListener('change', update);
    return () => mq.removeEventListener('change', update);
  }, []);
  return colors;
}
