import { useEffect, useState } from 'react';

export type ChartColors = Record<'sent' | 'inbox' | 'spam' | 'bounced' | 'missing' | 'border' | 'muted' | 'accent' | 'card' | 'fg', string>;

// Fallbacks that read in both themes, should a variable be missing.
const fallback: ChartColors = {
  sent: '#6b7bd6',
  inbox: '#2f9e5b',
  spam: '#d0532b',
  bounced: '#8a5cc2',
  missing: '#a3a7b0',
  border: '#888888',
  muted: '#888888',
  accent: '#d06a35',
  card: '#ffffff',
  fg: '#1d1f24',
};

function read(): ChartColors {
  const style = getComputedStyle(document.documentElement);
  const v = (name: string, key: keyof ChartColors) => style.getPropertyValue(name).trim() || fallback[key];
  return {
    sent: v('--c-sent', 'sent'),
    inbox: v('--c-inbox', 'inbox'),
    spam: v('--c-spam', 'spam'),
    bounced: v('--c-bounced', 'bounced'),
    missing: v('--c-missing', 'missing'),
    border: v('--border', 'border'),
    muted: v('--muted', 'muted'),
    accent: v('--accent', 'accent'),
    card: v('--card', 'card'),
    fg: v('--fg', 'fg'),
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

/** Tooltip box in the theme's colours (recharts sets these through React style props, CSP-safe). */
export const tooltipStyle = (c: ChartColors) => ({
  contentStyle: { background: c.card, borderColor: c.border, color: c.fg },
  labelStyle: { color: c.fg },
});
