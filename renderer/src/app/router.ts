// A hash router: the page works from file:// (desktop) and from any path on `kiln serve` without
// server-side routes, and the browser's back button moves between screens.
import { create } from 'zustand';

export type Route =
  | { name: 'overview' }
  /** `state`: the Mailboxes table filtered by one fleet state (`#/mailboxes?state=error`). */
  | { name: 'mailboxes'; state?: string }
  | { name: 'mailbox'; id: string; tab: 'health' | 'ramp' | 'activity' }
  | { name: 'recipients' }
  /** `domain`: one domain's check report (Domains tab); `test`: one placement test's report. */
  | { name: 'deliverability'; tab: DeliverabilityTab; domain?: string; test?: string }
  | { name: 'settings' }
  /** `query`: the screen's own filters and selection, as URL search parameters (`#/messages?status=failed&id=msg_…`). */
  | { name: 'messages'; query: string }
  | { name: 'suppressions'; query: string }
  | { name: 'reports'; query: string }
  | { name: 'templates'; query: string };

export const deliverabilityTabs = ['domains', 'blocklists', 'dmarc', 'placement', 'alerts'] as const;
export type DeliverabilityTab = (typeof deliverabilityTabs)[number];

export function parseHash(hash: string): Route {
  const [path = '', search = ''] = hash.replace(/^#\/?/, '').split('?');
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  switch (parts[0]) {
    case 'mailboxes': {
      if (!parts[1]) {
        const state = new URLSearchParams(search).get('state');
        return state ? { name: 'mailboxes', state } : { name: 'mailboxes' };
      }
      const tab = parts[2] === 'ramp' || parts[2] === 'activity' ? parts[2] : 'health';
      return { name: 'mailbox', id: parts[1], tab };
    }
    case 'recipients':
      return { name: 'recipients' };
    case 'deliverability': {
      const q = new URLSearchParams(search);
      const asked = q.get('tab');
      const tab = deliverabilityTabs.find((t) => t === asked) ?? 'domains';
      const domain = tab === 'domains' ? q.get('domain') : null;
      const test = tab === 'placement' ? q.get('test') : null;
      return { name: 'deliverability', tab, ...(domain ? { domain } : {}), ...(test ? { test } : {}) };
    }
    case 'settings':
      return { name: 'settings' };
    case 'messages':
    case 'suppressions':
    case 'reports':
    case 'templates':
      return { name: parts[0], query: search };
    default:
      return { name: 'overview' };
  }
}

export function hrefOf(route: Route): string {
  switch (route.name) {
    case 'overview':
      return '#/';
    case 'mailboxes':
      return route.state ? `#/mailboxes?state=${encodeURIComponent(route.state)}` : '#/mailboxes';
    case 'mailbox':
      return `#/mailboxes/${encodeURIComponent(route.id)}${route.tab === 'health' ? '' : `/${route.tab}`}`;
    case 'deliverability': {
      const q = new URLSearchParams({ tab: route.tab });
      if (route.domain) q.set('domain', route.domain);
      if (route.test) q.set('test', route.test);
      return `#/deliverability?${q.toString()}`;
    }
    case 'messages':
    case 'suppressions':
    case 'reports':
    case 'templates':
      return route.query ? `#/${route.name}?${route.query}` : `#/${route.name}`;
    default:
      return `#/${route.name}`;
  }
}

interface RouterState {
  route: Route;
  go(route: Route): void;
}

const current = (): Route => parseHash(typeof location === 'undefined' ? '' : location.hash);

export const useRouter = create<RouterState>()((set) => {
  if (typeof window !== 'undefined') window.addEventListener('hashchange', () => set({ route: current() }));
  return {
    route: current(),
    go(route) {
      location.hash = hrefOf(route);
    },
  };
});
