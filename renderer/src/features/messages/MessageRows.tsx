import { memo, useRef } from 'react';
import type { Message } from '../../../../shared/domain/message';
import { Pill } from '../../components/Pill';
import { formatDateTime } from '../../lib/format';
import { useWindowedRows } from '../mailboxes/useWindowedRows';
import { statusTone, statusWord } from './tones';

const Row = memo(function Row({ m, index, selected, onOpen }: { m: Message; index: number; selected: boolean; onOpen: (id: string) => void }): React.JSX.Element {
  const to = m.recipients.filter((r) => r.kind !== 'bcc').map((r) => r.address);
  return (
    // One line per row keeps every row the same height (the windowing measures one).
    <tr data-row data-message={m.id} aria-rowindex={index + 2} aria-selected={selected} className={selected ? 'selected' : undefined}>
      <td className="nowrap">{formatDateTime(m.createdAt)}</td>
      <td>
        <Pill tone={statusTone(m.status)} status={m.status} title={m.lastError?.message}>
          {statusWord(m.status)}
        </Pill>
      </td>
      <td>{m.kind}</td>
      <td className="ellipsis" title={m.from}>
        {m.from}
      </td>
      <td className="ellipsis" title={to.join(', ')}>
        {to[0] ?? '—'}
        {to.length > 1 && <span className="muted"> +{to.length - 1}</span>}
      </td>
      <td className="ellipsis">
        <button type="button" className="link" onClick={() => onOpen(m.id)} aria-label={`Open ${m.subject || m.id}`}>
          {m.subject || <span className="muted">(no subject)</span>}
        </button>
      </td>
    </tr>
  );
});

const Spacer = ({ height }: { height: number }) => (
  <tr aria-hidden="true" className="spacer" style={{ height }}>
    <td colSpan={6} />
  </tr>
);

/** The rows near the viewport only; the table's aria-rowcount tells the loaded count. */
export function MessageRows({ rows, selected, onOpen }: { rows: Message[]; selected: string | undefined; onOpen: (id: string) => void }): React.JSX.Element {
  const body = useRef<HTMLTableSectionElement>(null);
  const { start, end, before, after } = useWindowedRows(rows.length, body);
  return (
    <tbody ref={body}>
      {before > 0 && <Spacer height={before} />}
      {rows.slice(start, end).map((m, i) => (
        <Row key={m.id} m={m} index={start + i} selected={m.id === selected} onOpen={onOpen} />
      ))}
      {after > 0 && <Spacer height={after} />}
    </tbody>
  );
}
