import { memo, useRef } from 'react';
import type { FleetRow } from '../../../../shared/domain/fleet';
import { hrefOf } from '../../app/router';
import { Can } from '../../app/Can';
import { ConfirmDialog } from '../../components/Dialog';
import { StateBadge } from '../../components/StateBadge';
import { formatPercent } from '../../lib/format';
import { useWindowedRows } from './useWindowedRows';
import { useFleet } from '../../stores/fleet';
import { useMailboxEditor } from '../../stores/mailboxes';
import { useReconnect } from '../../stores/reconnect';
import { needsReconnect } from '../../lib/sign-in';

const Row = memo(function Row({ m, index, onDelete }: { m: FleetRow; index: number; onDelete: (m: FleetRow) => void }): React.JSX.Element {
  const busy = useFleet((s) => s.busy[m.id] === true);
  const pause = useFleet((s) => s.pause);
  const resume = useFleet((s) => s.resume);
  const openEdit = useMailboxEditor((s) => s.openEdit);
  const reconnect = useReconnect((s) => s.open);
  return (
    // One line per row (the display name beside the address) keeps every row the same height.
    <tr data-row data-mailbox={m.email} aria-rowindex={index + 2}>
      <td className="mailbox-cell" title={m.displayName ? `${m.email} (${m.displayName})` : m.email}>
        <a href={hrefOf({ name: 'mailbox', id: m.id, tab: 'health' })}>{m.email}</a>
        {m.displayName && <span className="muted"> · {m.displayName}</span>}
      </td>
      <td>{m.provider}</td>
      <td>
        <StateBadge state={m.state} title={m.warmup.reason ?? m.lastError?.message} />
      </td>
      <td className="num">{formatPercent(m.inboxRate7d)}</td>
      <td className="num">
        {m.today.sent} / {m.today.target}
      </td>
      <td>{m.lastError ? <span className="error" title={m.lastError.message}>{`${m.lastError.protocol} ${m.lastError.stage}: ${m.lastError.code}`}</span> : <span className="muted">—</span>}</td>
      <td>
        <div className="row-actions">
          {needsReconnect(m.lastError) && (
            <Can call="oauthSignIns.start">
              <button type="button" className="primary" onClick={() => void reconnect(m.id)} aria-label={`Reconnect ${m.email}`} title="Sign in again: the grant was withdrawn or cannot be refreshed">
                Reconnect
              </button>
            </Can>
          )}
          <Can call="mailboxes.update">
            <button type="button" onClick={() => void openEdit(m.id)} aria-label={`Edit ${m.email}`}>
              Edit
            </button>
          </Can>
          {m.status === 'paused' ? (
            <Can call="mailboxes.resume">
              <button type="button" disabled={busy} onClick={() => void resume(m.id)} aria-label={`Resume ${m.email}`} title="Send from this mailbox again">
                Resume
              </button>
            </Can>
          ) : (
            <Can call="mailboxes.pause">
              <button type="button" disabled={busy} onClick={() => void pause(m.id)} aria-label={`Pause ${m.email}`} title="Stop all sending from this mailbox (queued mail waits)">
                Pause
              </button>
            </Can>
          )}
          <Can call="mailboxes.delete">
            <button type="button" disabled={busy} onClick={() => onDelete(m)} aria-label={`Delete ${m.email}`}>
              Delete
            </button>
          </Can>
        </div>
      </td>
    </tr>
  );
});

const Spacer = ({ height }: { height: number }) => (
  <tr aria-hidden="true" className="spacer" style={{ height }}>
    <td colSpan={7} />
  </tr>
);

/** The rows near the viewport only (see useWindowedRows); the table's aria-rowcount tells the whole count. */
export function MailboxRows({ rows, onDelete }: { rows: FleetRow[]; onDelete: (m: FleetRow) => void }): React.JSX.Element {
  const body = useRef<HTMLTableSectionElement>(null);
  const { start, end, before, after } = useWindowedRows(rows.length, body);
  return (
    <tbody ref={body}>
      {before > 0 && <Spacer height={before} />}
      {rows.slice(start, end).map((m, i) => (
        <Row key={m.id} m={m} index={start + i} onDelete={onDelete} />
      ))}
      {after > 0 && <Spacer height={after} />}
    </tbody>
  );
}

/** Asks before deleting; rendered outside the table (a <dialog> cannot live in a <tbody>). */
export function DeleteMailboxDialog({ doomed, onClose }: { doomed: FleetRow | null; onClose: () => void }): React.JSX.Element {
  const remove = useFleet((s) => s.remove);
  return (
    <ConfirmDialog
      title="Delete mailbox"
      open={doomed !== null}
      danger
      confirmLabel={doomed ? `Delete ${doomed.email}` : 'Delete'}
      onClose={onClose}
      onConfirm={() => doomed && void remove(doomed.id).then(onClose)}
    >
      <p>
        Kiln stops sending from and reading <strong>{doomed?.email}</strong> and removes its passwords. Its message history is kept.
      </p>
    </ConfirmDialog>
  );
}
