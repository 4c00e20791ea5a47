// Every message of the workspace (API, warmup, replies, placement tests): filters in the route
// query, a windowed list paged by the server, and the open message beside it.
import { useEffect, useMemo, useState } from 'react';
import { useRouter } from '../../app/router';
import { Can } from '../../app/Can';
import { ConfirmDialog } from '../../components/Dialog';
import { EmptyState, ErrorBox, Loading } from '../../components/status';
import { plural } from '../../../../shared/plural';
import { download } from '../../lib/download';
import { MessageDetail } from './MessageDetail';
import { MessageFilters } from './MessageFilters';
import { MessageRows } from './MessageRows';
import { useMessages } from './messages-store';
import { filterKey, parseQuery, toQuery, type MessageQuery } from './query';

function BulkRetry({ q }: { q: MessageQuery }): React.JSX.Element {
  const [open, setOpen] = useState(false);
  const retryFailed = useMessages((s) => s.retryFailed);
  const busy = useMessages((s) => s.busy);
  return (
    <>
      <button type="button" onClick={() => setOpen(true)} disabled={q.status !== undefined && q.status !== 'failed'} title="Queue every failed message matching the filters again">
        Retry failed…
      </button>
      <ConfirmDialog
        title="Retry failed messages"
        open={open}
        busy={busy}
        confirmLabel="Retry them"
        onClose={() => setOpen(false)}
        onConfirm={() => void retryFailed(q).then(() => setOpen(false))}
      >
        <p>Every failed message matching these filters (up to 5000) is queued again. Recipients that already accepted a message are not sent it twice.</p>
      </ConfirmDialog>
    </>
  );
}

function BulkDiscard({ q }: { q: MessageQuery }): React.JSX.Element {
  const [open, setOpen] = useState(false);
  const discardFailed = useMessages((s) => s.discardFailed);
  const busy = useMessages((s) => s.busy);
  return (
    <>
      <button type="button" onClick={() => setOpen(true)} disabled={q.status !== undefined && q.status !== 'failed'} title="Give up on every failed message (dead letter) matching the filters">
        Discard failed…
      </button>
      <ConfirmDialog
        title="Discard failed messages"
        open={open}
        busy={busy}
        confirmLabel="Discard them"
        onClose={() => setOpen(false)}
        onConfirm={() => void discardFailed(q).then(() => setOpen(false))}
      >
        <p>Every failed message matching these filters (up to 5000) is discarded: it stays on record with its log, but leaves the dead letters and can no longer be retried.</p>
      </ConfirmDialog>
    </>
  );
}

export function MessagesScreen({ query }: { query: string }): React.JSX.Element {
  const q = useMemo(() => parseQuery(query), [query]);
  const key = filterKey(q);
  const go = useRouter((s) => s.go);
  const { list, load, open, exportCsv, actionError, report, discardReport } = useMessages();
  const set = (patch: Partial<MessageQuery>) => go({ name: 'messages', query: toQuery({ ...q, ...patch }) });

  // The key stands for the filters: a new selection alone does not refetch the list.
  const filters = useMemo(() => q, [key]);
  useEffect(() => void load(filters), [filters, load]);
  useEffect(() => void open(q.id ?? null), [q.id, open]);

  const rows = list.data?.items ?? [];
  const save = async () => {
    const file = await exportCsv(q);
    if (file) download(file.filename, file.csv);
  };
  return (
    <div className="messages-screen">
      <div className="page-header">
        <h1>Messages</h1>
        <div className="actions">
          <Can call="messages.retryMany">
            <BulkRetry q={q} />
          </Can>
          <Can call="messages.discard">
            <BulkDiscard q={q} />
          </Can>
          <button type="button" onClick={() => void save()}>
            Export CSV
          </button>
        </div>
      </div>
      <MessageFilters value={q} onChange={(patch) => set({ ...patch, id: undefined })} />
      {actionError && <ErrorBox error={actionError} />}
      {report && (
        <p role="status" data-testid="retry-report">
          {plural(report.retried, 'message', 'messages')} queued again
          {report.skipped > 0 && `, ${report.skipped} skipped (${[...new Set(report.reasons.map((r) => r.code))].join(', ')})`}.
        </p>
      )}
      {discardReport && (
        <p role="status" data-testid="discard-report">
          {plural(discardReport.discarded, 'message', 'messages')} discarded
          {discardReport.skipped > 0 && `, ${discardReport.skipped} skipped (${[...new Set(discardReport.reasons.map((r) => r.code))].join(', ')})`}.
        </p>
      )}
      <div className="messages-layout">
        <div className="table-wrap">
          {list.error && <ErrorBox error={list.error} onRetry={() => void load(q)} />}
          {list.data && rows.length === 0 && <EmptyState title="No messages">Nothing matches these filters.</EmptyState>}
          {rows.length > 0 && (
            <table aria-label="Messages" data-testid="messages-table" aria-rowcount={rows.length + 1}>
              <thead>
                <tr aria-rowindex={1}>
                  <th scope="col">Created</th>
                  <th scope="col">Status</th>
                  <th scope="col">Kind</th>
                  <th scope="col">From</th>
                  <th scope="col">To</th>
                  <th scope="col">Subject</th>
                </tr>
              </thead>
              <MessageRows rows={rows} selected={q.id} onOpen={(id) => set({ id })} />
            </table>
          )}
          {list.status === 'loading' && <Loading />}
          {list.data?.nextCursor && list.status !== 'loading' && (
            <button type="button" onClick={() => void load(q, true)}>
              Load more
            </button>
          )}
        </div>
        <MessageDetail onClose={() => set({ id: undefined })} />
      </div>
    </div>
  );
}
