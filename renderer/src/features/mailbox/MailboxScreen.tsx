// Placeholder: being built.
export function MailboxScreen({ id, tab }: { id: string; tab: 'health' | 'ramp' | 'activity' }): React.JSX.Element {
  return <h1>Mailbox {id} {tab}</h1>;
}
