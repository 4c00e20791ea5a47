// Messages: being built (issue 15); the route and navigation are in place.
export function MessagesScreen({ query }: { query: string }): React.JSX.Element {
  return (
    <div>
      <div className="page-header">
        <h1>Messages</h1>
      </div>
      <p data-query={query}>Not built yet.</p>
    </div>
  );
}
