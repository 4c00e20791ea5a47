// One mailbox: its closed-loop state and why, warmup switches, and three tabs (health, ramp, activity).
import { useEffect } from 'react';
import { hrefOf } from '../../app/router';
import { ErrorBox, Loading } from '../../components/status';
import { useMailbox } from './mailbox-store';
import { useFleet } from '../../stores/fleet';
import { MailboxDialog } from '../mailboxes/MailboxDialog';
import { ReconnectDialog } from '../mailboxes/ReconnectDialog';
import { MailboxHeader } from './MailboxHeader';
import { HealthTab } from './HealthTab';
import { RampTab } from './RampTab';
import { ActivityTab } from './ActivityTab';

type Tab = 'health' | 'ramp' | 'activity';
const tabs: Array<[Tab, string]> = [
  ['health', 'Health'],
  ['ramp', 'Ramp'],
  ['activity', 'Activity'],
];

export function MailboxScreen({ id, tab }: { id: string; tab: Tab }): React.JSX.Element {
  const open = useMailbox((s) => s.open);
  const close = useMailbox((s) => s.close);
  const mailbox = useMailbox((s) => s.mailbox);
  const warmup = useMailbox((s) => s.warmup);
  const ensureFleet = useFleet((s) => s.ensure);
  useEffect(() => {
    void open(id);
    ensureFleet(); // the 7-day inbox rate comes from the mailbox's fleet row
    return close;
  }, [open, close, ensureFleet, id]);

  const back = (
    <p>
      <a href={hrefOf({ name: 'mailboxes' })}>← Mailboxes</a>
    </p>
  );
  if (!mailbox.data || !warmup.data) {
    const error = mailbox.error ?? warmup.error;
    return (
      <>
        {back}
        {error ? <ErrorBox error={error} onRetry={() => void open(id)} /> : <Loading />}
      </>
    );
  }
  return (
    <>
      {back}
      <MailboxHeader m={mailbox.data} w={warmup.data} />
      <nav className="tabs" aria-label="Mailbox sections">
        {tabs.map(([t, label]) => (
          <a key={t} href={hrefOf({ name: 'mailbox', id, tab: t })} aria-current={t === tab ? 'page' : undefined}>
            {label}
          </a>
        ))}
      </nav>
      {tab === 'health' && <HealthTab id={id} />}
      {tab === 'ramp' && <RampTab />}
      {tab === 'activity' && <ActivityTab />}
      <MailboxDialog />
      <ReconnectDialog />
    </>
  );
}
