// Placeholder: being built.
export function OverviewScreen(): React.JSX.Element {
  return <h1>Overview</h1>;
}
