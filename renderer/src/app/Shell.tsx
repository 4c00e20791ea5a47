// The frame around every screen: navigation, the workspace switcher and the current screen.
import { lazy, Suspense, useEffect, useRef } from 'react';
import { hrefOf, useRouter, type Route } from './router';
import { WorkspaceSwitcher } from './WorkspaceSwitcher';
import { AccessBadge } from './AccessBadge';
import { OverviewScreen } from '../features/overview/OverviewScreen';
import { MailboxesScreen } from '../features/mailboxes/MailboxesScreen';
import { RecipientsScreen } from '../features/recipients/RecipientsScreen';
import { SettingsScreen } from '../features/settings/SettingsScreen';
import { Loading } from '../components/status';

// The detail screen carries the charts (recharts, most of the bundle): loaded when first opened,
// so the Overview paints sooner.
const MailboxScreen = lazy(() => import('../features/mailbox/MailboxScreen').then((m) => ({ default: m.MailboxScreen })));
// Deliverability has charts too, and is a screen of its own: its own chunk, loaded when opened.
const DeliverabilityScreen = lazy(() => import('../features/deliverability/DeliverabilityScreen').then((m) => ({ default: m.DeliverabilityScreen })));

// The console screens: each its own chunk, loaded when first opened.
const MessagesScreen = lazy(() => import('../features/messages/MessagesScreen').then((m) => ({ default: m.MessagesScreen })));
const SuppressionsScreen = lazy(() => import('../features/suppressions/SuppressionsScreen').then((m) => ({ default: m.SuppressionsScreen })));
const TemplatesScreen = lazy(() => import('../features/templates/TemplatesScreen').then((m) => ({ default: m.TemplatesScreen })));
const ReportsScreen = lazy(() => import('../features/reports/ReportsScreen').then((m) => ({ default: m.ReportsScreen })));

const nav: Array<{ route: Route; label: string; match: Route['name'][] }> = [
  { route: { name: 'overview' }, label: 'Overview', match: ['overview'] },
  { route: { name: 'mailboxes' }, label: 'Mailboxes', match: ['mailboxes', 'mailbox'] },
  { route: { name: 'recipients' }, label: 'Recipients', match: ['recipients'] },
  { route: { name: 'messages', query: '' }, label: 'Messages', match: ['messages'] },
  { route: { name: 'templates', query: '' }, label: 'Templates', match: ['templates'] },
  { route: { name: 'suppressions', query: '' }, label: 'Suppressions', match: ['suppressions'] },
  { route: { name: 'deliverability', tab: 'domains' }, label: 'Deliverability', match: ['deliverability'] },
  { route: { name: 'reports', query: '' }, label: 'Reports', match: ['reports'] },
  { route: { name: 'settings' }, label: 'Settings', match: ['settings'] },
];

function Screen({ route }: { route: Route }): React.JSX.Element {
  switch (route.name) {
    case 'overview':
      return <OverviewScreen />;
    case 'mailboxes':
      return <MailboxesScreen />;
    case 'mailbox':
      return (
        <Suspense fallback={<Loading />}>
          <MailboxScreen id={route.id} tab={route.tab} />
        </Suspense>
      );
    case 'recipients':
      return <RecipientsScreen />;
    case 'deliverability':
      return (
        <Suspense fallback={<Loading />}>
          <DeliverabilityScreen route={route} />
        </Suspense>
      );
    case 'settings':
      return <SettingsScreen />;
    case 'messages':
    case 'suppressions':
    case 'templates':
    case 'reports': {
      const Lazy = { messages: MessagesScreen, suppressions: SuppressionsScreen, templates: TemplatesScreen, reports: ReportsScreen }[route.name];
      return (
        <Suspense fallback={<Loading />}>
          <Lazy query={route.query} />
        </Suspense>
      );
    }
  }
}

export function Shell(): React.JSX.Element {
  const route = useRouter((s) => s.route);
  const main = useRef<HTMLElement>(null);
  // Keyboard and screen-reader users land on the new screen, not on the link they used.
  useEffect(() => {
    main.current?.focus({ preventScroll: true });
  }, [route.name]);

  return (
    <div className="shell">
      <a className="skip-link" href="#main" onClick={(e) => (e.preventDefault(), main.current?.focus())}>
        Skip to content
      </a>
      <aside className="sidebar">
        <div className="brand">Kiln</div>
        <AccessBadge />
        <nav aria-label="Main">
          <ul>
            {nav.map((item) => {
              const active = item.match.includes(route.name);
              return (
                <li key={item.label}>
                  <a href={hrefOf(item.route)} aria-current={active ? 'page' : undefined} className={active ? 'active' : undefined}>
                    {item.label}
                  </a>
                </li>
              );
            })}
          </ul>
        </nav>
        <WorkspaceSwitcher />
      </aside>
      <main id="main" ref={main} tabIndex={-1} className="content">
        <Screen route={route} />
      </main>
    </div>
  );
}
