import type { MessageWithEvents } from '../../../../shared/domain/message';
import { Can } from '../../app/Can';
import { HtmlPreview } from '../../components/HtmlPreview';
import { Pill } from '../../components/Pill';
import { ErrorBox, Loading } from '../../components/status';
import { formatDateTime } from '../../lib/format';
import { useMessages, type Content } from './messages-store';
import { placementTone, recipientTone, smtpAnswer, statusTone, statusWord } from './tones';

function Recipients({ m }: { m: MessageWithEvents }): React.JSX.Element {
  return (
    <table aria-label="Recipients" data-testid="recipients-table">
      <thead>
        <tr>
          <th scope="col">Recipient</th>
          <th scope="col">Handoff</th>
          <th scope="col">SMTP answer</th>
          <th scope="col">Outcome</th>
        </tr>
      </thead>
      <tbody>
        {m.recipients.map((r) => (
          <tr key={`${r.kind}:${r.address}`} data-recipient={r.address}>
            <td>
              {r.address} <span className="muted">{r.kind}</span>
            </td>
            <td>
              <Pill tone={r.status === 'accepted' ? 'good' : r.status === 'rejected' ? 'bad' : 'neutral'} status={r.status}>
                {r.status}
              </Pill>
            </td>
            <td className="code wrap" data-testid="smtp-answer">
              {smtpAnswer(r, m.lastError)}
            </td>
            <td>
              {r.outcome ? (
                <Pill tone={recipientTone(r)} status={r.outcome.state} title={r.outcome.diagnostic ?? undefined}>
                  {r.outcome.state}
                  {r.outcome.status ? ` ${r.outcome.status}` : ''}
                </Pill>
              ) : (
                <span className="muted">not known yet</span>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Placements({ m }: { m: MessageWithEvents }): React.JSX.Element {
  if (m.placements.length === 0) return <p className="muted">No copy seen in a mailbox Kiln reads.</p>;
  return (
    <table aria-label="Placement" data-testid="placements-table">
      <thead>
        <tr>
          <th scope="col">Recipient</th>
          <th scope="col">Placement</th>
          <th scope="col">Folder</th>
          <th scope="col">Seen</th>
        </tr>
      </thead>
      <tbody>
        {m.placements.map((p) => (
          <tr key={p.recipient}>
            <td>{p.recipient}</td>
            <td>
              <Pill tone={placementTone(p.placement)} status={p.placement}>
                {p.placement}
              </Pill>
            </td>
            <td className="code">{p.folder ?? '—'}</td>
            <td>{formatDateTime(p.seenAt)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Timeline({ m }: { m: MessageWithEvents }): React.JSX.Element {
  return (
    <ol className="timeline" aria-label="Events" data-testid="timeline">
      {m.events.map((e) => (
        <li key={e.id} data-event={e.type}>
          <span className="muted">{formatDateTime(e.at, true)}</span> <strong>{e.type}</strong>{' '}
          {Object.keys(e.data).length > 0 && <span className="code wrap">{JSON.stringify(e.data)}</span>}
        </li>
      ))}
    </ol>
  );
}

function Body({ m, content }: { m: MessageWithEvents; content: Content }): React.JSX.Element {
  const retry = useMessages((s) => s.retry);
  const busy = useMessages((s) => s.busy);
  return (
    <>
      <div className="detail-head">
        <h2>{m.subject || '(no subject)'}</h2>
        <Pill tone={statusTone(m.status)} status={m.status}>
          {statusWord(m.status)}
        </Pill>
        {m.status === 'failed' && (
          <Can call="messages.retry">
            <button type="button" className="primary" disabled={busy} onClick={() => void retry(m.id)}>
              Retry
            </button>
          </Can>
        )}
      </div>
      {m.lastError && (
        <p className="error" data-testid="last-error">
          {m.lastError.code} ({m.lastError.stage}, {m.lastError.kind}): {m.lastError.message}
        </p>
      )}
      <p className="muted">
        {m.kind} · {m.attempts} attempt{m.attempts === 1 ? '' : 's'} · created {formatDateTime(m.createdAt)} · sent {formatDateTime(m.sentAt)}
        {m.nextAttemptAt && ` · next attempt ${formatDateTime(m.nextAttemptAt)}`}
        {m.template && (
          <>
            {' · from '}
            <a href={`#/templates?id=${encodeURIComponent(m.template.id)}&version=${m.template.version}`} data-testid="message-template">
              template version {m.template.version}
            </a>
          </>
        )}
      </p>
      <h3>Recipients</h3>
      <Recipients m={m} />
      <h3>Placement</h3>
      <Placements m={m} />
      <h3>Events</h3>
      <Timeline m={m} />
      <h3>Headers</h3>
      <table className="headers" aria-label="Headers" data-testid="headers-table">
        <tbody>
          {content.headers.map((h, i) => (
            <tr key={i}>
              <th scope="row">{h.name}</th>
              <td className="code wrap">{h.value}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h3>Text</h3>
      {content.text !== null ? <pre className="message-text" data-testid="message-text">{content.text}</pre> : <p className="muted">No text part.</p>}
      <h3>HTML</h3>
      {content.html !== null ? <HtmlPreview html={content.html} /> : <p className="muted">No HTML part.</p>}
    </>
  );
}

/** The open message: what was sent, to whom, what each server answered and where copies landed. */
export function MessageDetail({ onClose }: { onClose: () => void }): React.JSX.Element | null {
  const detail = useMessages((s) => s.detail);
  const id = useMessages((s) => s.detailId);
  const open = useMessages((s) => s.open);
  if (id === null) return null;
  return (
    <aside className="card message-detail" aria-label="Message" data-testid="message-detail" data-message={id}>
      <button type="button" className="close" onClick={onClose} aria-label="Close message">
        ×
      </button>
      {detail.error && <ErrorBox error={detail.error} onRetry={() => void open(id)} />}
      {detail.data ? <Body m={detail.data.message} content={detail.data.content} /> : !detail.error && <Loading />}
    </aside>
  );
}
