// Suppressions: being built (issue 15); the route and navigation are in place.
export function SuppressionsScreen({ query }: { query: string }): React.JSX.Element {
  return (
    <div>
      <div className="page-header">
        <h1>Suppressions</h1>
      </div>
      <p data-query={query}>Not built yet.</p>
    </div>
  );
}
