// Pieces of the Webhooks section: the add form, the event filter editor, the one-time secret
// dialog and a webhook's recent deliveries.
import { useState, type FormEvent } from 'react';
import { defaultWebhookEvents, type WebhookEventType } from '../../../../shared/domain/webhook';
import { CopyField } from '../../components/CopyField';
import { Dialog } from '../../components/Dialog';
import { Pill } from '../../components/Pill';
import { ErrorBox, Loading } from '../../components/status';
import { formatDateTime } from '../../lib/format';
import { useWebhooks } from './webhooks-store';

export const choosable: Array<[WebhookEventType, string]> = [
  ['alert.raised', 'an alert is raised'],
  ['alert.resolved', 'an alert is resolved'],
  ['message.sent', 'a message is sent'],
  ['message.failed', 'a send fails'],
  ['message.bounced', 'a message bounces'],
  ['message.complained', 'a recipient complains'],
  ['message.placed', 'a copy lands (inbox, spam, other, missing)'],
  ['message.replied', 'a reply is made'],
  ['warmup.stateChanged', "a warmup's closed-loop state changes"],
];

/** Checkboxes for the event filter (the add form and each webhook's editor). */
export function EventChoices({ value, onChange, legend = 'Send when' }: { value: WebhookEventType[]; onChange: (v: WebhookEventType[]) => void; legend?: string }): React.JSX.Element {
  return (
    <fieldset className="row">
      <legend>{legend}</legend>
      {choosable.map(([ev, label]) => (
        <label className="check" key={ev}>
          <input type="checkbox" value={ev} checked={value.includes(ev)} onChange={(e) => onChange(e.target.checked ? [...value, ev] : value.filter((x) => x !== ev))} /> {label}
        </label>
      ))}
    </fieldset>
  );
}

/** A webhook's event filter, changed in place. */
export function EditEvents({ id, events, onDone }: { id: string; events: WebhookEventType[]; onDone: () => void }): React.JSX.Element {
  const setEvents = useWebhooks((s) => s.setEvents);
  const busy = useWebhooks((s) => s.busy[id] ?? false);
  const [value, setValue] = useState<WebhookEventType[]>(events.filter((e) => e !== 'webhook.test'));
  const save = async (e: FormEvent) => {
    e.preventDefault();
    if (await setEvents(id, value)) onDone();
  };
  return (
    <form className="form" onSubmit={(e) => void save(e)} aria-label="Events to send">
      <EventChoices value={value} onChange={setValue} legend="Events to send" />
      <div className="actions">
        <button type="button" onClick={onDone}>
          Cancel
        </button>
        <button type="submit" className="primary" disabled={busy || value.length === 0}>
          Save events
        </button>
      </div>
    </form>
  );
}

export function AddWebhookForm(): React.JSX.Element {
  const create = useWebhooks((s) => s.create);
  const busy = useWebhooks((s) => s.busy.create ?? false);
  const [url, setUrl] = useState('');
  const [description, setDescription] = useState('');
  const [events, setEvents] = useState<WebhookEventType[]>(defaultWebhookEvents);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (await create({ url: url.trim(), description: description.trim() || undefined, events })) {
      setUrl('');
      setDescription('');
    }
  };
  return (
    <form className="form" onSubmit={(e) => void submit(e)} aria-label="Add a webhook">
      <div className="row">
        <div className="field grow">
          <label htmlFor="webhook-url">Receiver URL</label>
          <input id="webhook-url" type="url" value={url} onChange={(e) => setUrl(e.target.value)} required maxLength={2048} placeholder="https://hooks.example.com/kiln" autoComplete="off" spellCheck={false} />
        </div>
        <div className="field grow">
          <label htmlFor="webhook-description">Description (optional)</label>
          <input id="webhook-description" value={description} onChange={(e) => setDescription(e.target.value)} maxLength={500} placeholder="e.g. Slack relay" />
        </div>
      </div>
      <div className="row">
        <EventChoices value={events} onChange={setEvents} />
        <button type="submit" className="primary" disabled={busy || url.trim() === '' || events.length === 0}>
          Add webhook
        </button>
      </div>
      <p className="hint">
        Each delivery is a signed JSON POST (Standard Webhooks headers); failed ones are retried with backoff. One message&apos;s events arrive in order, each with
        a webhook-id to drop repeats by.
      </p>
    </form>
  );
}

/** The new webhook's signing secret, once: it is dropped from memory when the dialog closes. */
export function NewWebhookDialog(): React.JSX.Element {
  const created = useWebhooks((s) => s.created);
  const forgetCreated = useWebhooks((s) => s.forgetCreated);
  return (
    <Dialog title="Webhook signing secret" open={created !== null} onClose={forgetCreated}>
      {created && (
        <div className="form">
          <p className="warning" role="note">
            <strong>Copy the signing secret now: it will not be shown again.</strong> Your receiver uses it to check that deliveries come from Kiln. If it is lost,
            rotate it.
          </p>
          <p className="muted code">{created.url}</p>
          <CopyField label="Signing secret" value={created.secret} testId="webhook-secret" />
          <div className="actions">
            <button type="button" className="primary" onClick={forgetCreated}>
              Done
            </button>
          </div>
        </div>
      )}
    </Dialog>
  );
}

export function Deliveries({ id }: { id: string }): React.JSX.Element {
  const deliveries = useWebhooks((s) => s.deliveries[id]);
  const loadDeliveries = useWebhooks((s) => s.loadDeliveries);
  if (!deliveries?.data) return deliveries?.error ? <ErrorBox error={deliveries.error} onRetry={() => void loadDeliveries(id)} /> : <Loading label="Loading deliveries…" />;
  if (deliveries.data.length === 0) return <p className="muted">No deliveries in the last 30 days.</p>;
  return (
    <div className="table-wrap">
      <table aria-label="Recent deliveries" data-testid="webhook-deliveries">
        <thead>
          <tr>
            <th scope="col">Created</th>
            <th scope="col">Event</th>
            <th scope="col">Status</th>
            <th scope="col" className="num">
              Attempts
            </th>
            <th scope="col">Last answer</th>
          </tr>
        </thead>
        <tbody>
          {deliveries.data.map((d) => (
            <tr key={d.id} data-type={d.type} data-status={d.status}>
              <td className="nowrap">{formatDateTime(d.createdAt, true)}</td>
              <td className="code">{d.type}</td>
              <td>
                <Pill tone={d.status === 'delivered' ? 'good' : d.status === 'failed' ? 'bad' : 'neutral'}>{d.status}</Pill>
                {d.nextAttemptAt && <span className="muted"> next try {formatDateTime(d.nextAttemptAt)}</span>}
              </td>
              <td className="num">{d.attempts}</td>
              <td className="muted">{d.lastStatusCode !== null ? `HTTP ${d.lastStatusCode}` : (d.lastError ?? '—')}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
