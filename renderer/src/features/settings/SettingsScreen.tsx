// Placeholder: being built.
export function SettingsScreen(): React.JSX.Element {
  return <h1>Settings</h1>;
}
