// Placeholder: being built.
export function RecipientsScreen(): React.JSX.Element {
  return <h1>Recipients</h1>;
}
