// Placeholder: being built.
export function MailboxesScreen(): React.JSX.Element {
  return <h1>Mailboxes</h1>;
}
