// A hash router: the page works from file:// (desktop) and from any path on `kiln serve` without
// server-side routes, and the browser's back button moves between screens.
import { create } from 'zustand';

export type Route =
  | { name: 'overview' }
  /** `state`: the Mailboxes table filtered by one fleet state (`#/mailboxes?state=error`). */
  | { name: 'mailboxes'; state?: string }
  | { name: 'mailbox'; id: string; tab: 'health' | 'ramp' | 'activity' }
  | { name: 'recipients' }
  | { name: 'settings' };

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
    case 'settings':
      return { name: 'settings' };
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
