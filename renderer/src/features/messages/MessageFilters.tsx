import { useEffect, useState } from 'react';
import { messageKinds, messageStatuses, placements } from '../../../../shared/domain/message';
import { useFleet } from '../../stores/fleet';
import type { MessageQuery } from './query';
import { statusWord } from './tones';

/** Every filter is applied by the server; the search box applies on Enter or when it loses focus. */
export function MessageFilters({ value, onChange }: { value: MessageQuery; onChange: (patch: Partial<MessageQuery>) => void }): React.JSX.Element {
  const ensure = useFleet((s) => s.ensure);
  const mailboxes = useFleet((s) => s.fleet.data?.mailboxes ?? []);
  const [text, setText] = useState(value.q ?? '');
  useEffect(() => ensure(), [ensure]);
  useEffect(() => setText(value.q ?? ''), [value.q]);
  const submit = () => text.trim() !== (value.q ?? '') && onChange({ q: text.trim() || undefined });
  const select = <K extends keyof MessageQuery>(key: K) => ({
    value: value[key] ?? '',
    onChange: (e: React.ChangeEvent<HTMLSelectElement | HTMLInputElement>) => onChange({ [key]: e.target.value || undefined } as Partial<MessageQuery>),
  });
  return (
    <div className="filters" role="search" aria-label="Filter messages">
      <div className="field">
        <label htmlFor="msg-q">Search</label>
        <input
          id="msg-q"
          type="search"
          value={text}
          placeholder="recipient address or subject"
          onChange={(e) => setText(e.target.value)}
          onKeyDown={(e) => e.key === 'Enter' && submit()}
          onBlur={submit}
        />
      </div>
      <div className="field">
        <label htmlFor="msg-mailbox">Mailbox</label>
        <select id="msg-mailbox" {...select('mailboxId')}>
          <option value="">All mailboxes</option>
          {mailboxes.map((m) => (
            <option key={m.id} value={m.id}>
              {m.email}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="msg-status">Status</label>
        <select id="msg-status" {...select('status')}>
          <option value="">All statuses</option>
          {messageStatuses.map((s) => (
            <option key={s} value={s}>
              {statusWord(s)}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="msg-kind">Kind</label>
        <select id="msg-kind" {...select('kind')}>
          <option value="">All kinds</option>
          {messageKinds.map((k) => (
            <option key={k}>{k}</option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="msg-placement">Placement</label>
        <select id="msg-placement" {...select('placement')}>
          <option value="">Any placement</option>
          {placements.map((p) => (
            <option key={p}>{p}</option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="msg-from">From day</label>
        <input id="msg-from" type="date" {...select('from')} />
      </div>
      <div className="field">
        <label htmlFor="msg-to">To day</label>
        <input id="msg-to" type="date" {...select('to')} />
      </div>
    </div>
  );
}
