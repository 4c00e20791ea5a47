// A new placement test (from which mailbox, how long to wait for the seeds) and the weekly one.
import { useState, type FormEvent } from 'react';
import type { PlacementSchedule } from '../../../../shared/domain/placement-test';
import { hrefOf, useRouter } from '../../app/router';
import { FormError } from '../../components/FormError';
import { TimeZoneInput } from '../../components/TimeZoneInput';
import { EmptyState } from '../../components/status';
import { weekdays } from '../../lib/deliverability';
import { formatDateTime } from '../../lib/format';
import { useFleet } from '../../stores/fleet';
import { usePlacement } from './placement-store';
import { useDraftForm } from './useDraftForm';
import { plural } from '../../../../shared/plural';

function MailboxSelect({ id, value, onChange, allowNone }: { id: string; value: string; onChange: (v: string) => void; allowNone?: string }): React.JSX.Element {
  const mailboxes = useFleet((s) => s.fleet.data?.mailboxes ?? []);
  return (
    <select id={id} value={value} onChange={(e) => onChange(e.target.value)} required={!allowNone}>
      <option value="">{allowNone ?? 'Choose a mailbox'}</option>
      {mailboxes.map((m) => (
        <option key={m.id} value={m.id} disabled={m.status === 'paused'}>
          {m.email}
          {m.status === 'paused' ? ' (paused)' : ''}
        </option>
      ))}
    </select>
  );
}

export function NewTestForm(): React.JSX.Element {
  const seeds = usePlacement((s) => s.seeds.data);
  const create = usePlacement((s) => s.create);
  const actionError = usePlacement((s) => (s.actionError?.scope === 'create' ? s.actionError.error : null));
  const mailboxCount = useFleet((s) => s.fleet.data?.mailboxes.length);
  const go = useRouter((s) => s.go);
  const [mailboxId, setMailboxId] = useState('');
  const [minutes, setMinutes] = useState('30');
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    const test = await create({ mailboxId, timeLimitMinutes: Number(minutes) });
    setBusy(false);
    if (test) go({ name: 'deliverability', tab: 'placement', test: test.id });
  };
  if (seeds === 0) {
    return (
      <EmptyState title="No seeds yet" action={<a href={hrefOf({ name: 'recipients' })}>Go to Recipients</a>}>
        Add seed addresses under Recipients to run a placement test: Kiln sends one message to each seed and reports where it landed. Seeds that are also
        mailboxes in Kiln are read over IMAP.
      </EmptyState>
    );
  }
  if (mailboxCount === 0) {
    return (
      <EmptyState title="No mailbox to send from" action={<a href={hrefOf({ name: 'mailboxes' })}>Add a mailbox</a>}>
        A placement test is sent from one of your mailboxes.
      </EmptyState>
    );
  }
  return (
    <form className="form" onSubmit={(e) => void submit(e)} aria-label="New placement test">
      <div className="row">
        <div className="field grow">
          <label htmlFor="pt-mailbox">Send from</label>
          <MailboxSelect id="pt-mailbox" value={mailboxId} onChange={setMailboxId} />
        </div>
        <div className="field">
          <label htmlFor="pt-minutes">Wait for the seeds (minutes)</label>
          <input id="pt-minutes" type="number" min={1} max={1440} step={1} required value={minutes} onChange={(e) => setMinutes(e.target.value)} />
        </div>
        <button type="submit" className="primary" disabled={busy || !mailboxId}>
          {busy ? 'Starting…' : 'Run test'}
        </button>
      </div>
      <p className="hint">
        One warmup-like message goes to each of the {seeds === null || seeds === undefined ? '… seeds' : plural(seeds, 'seed', 'seeds')}; a seed not seen within the time limit counts as missing.
      </p>
      {actionError && <FormError error={actionError} />}
    </form>
  );
}

type Draft = { enabled: boolean; mailboxId: string; weekday: string; hour: string; timeZone: string };
const toDraft = (s: PlacementSchedule): Draft => ({ enabled: s.enabled, mailboxId: s.mailboxId ?? '', weekday: String(s.weekday), hour: String(s.hour), timeZone: s.timeZone });

export function ScheduleForm({ schedule }: { schedule: PlacementSchedule }): React.JSX.Element {
  const saveSchedule = usePlacement((s) => s.saveSchedule);
  const actionError = usePlacement((s) => (s.actionError?.scope === 'schedule' ? s.actionError.error : null));
  const { draft, edit, busy, saved, save } = useDraftForm(schedule, toDraft);
  const was = toDraft(schedule);
  const dirty = (Object.keys(draft) as (keyof Draft)[]).some((k) => draft[k] !== was[k]);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    await save(() =>
      saveSchedule({
        enabled: draft.enabled,
        mailboxId: draft.mailboxId || null,
        weekday: Number(draft.weekday),
        hour: Number(draft.hour),
        timeZone: draft.timeZone.trim(),
      }),
    );
  };
  return (
    <form className="form" onSubmit={(e) => void submit(e)} aria-label="Weekly placement test">
      {actionError && <FormError error={actionError} />}
      <label className="check">
        <input type="checkbox" role="switch" checked={draft.enabled} onChange={(e) => edit({ enabled: e.target.checked })} /> Run a placement test every week
      </label>
      <div className="row">
        <div className="field grow">
          <label htmlFor="pts-mailbox">From</label>
          <MailboxSelect id="pts-mailbox" value={draft.mailboxId} onChange={(v) => edit({ mailboxId: v })} allowNone="No mailbox chosen" />
        </div>
        <div className="field">
          <label htmlFor="pts-weekday">On</label>
          <select id="pts-weekday" value={draft.weekday} onChange={(e) => edit({ weekday: e.target.value })}>
            {weekdays.map((d, i) => (
              <option key={d} value={i}>
                {d}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="pts-hour">At</label>
          <select id="pts-hour" value={draft.hour} onChange={(e) => edit({ hour: e.target.value })}>
            {Array.from({ length: 24 }, (_, h) => (
              <option key={h} value={h}>
                {String(h).padStart(2, '0')}:00
              </option>
            ))}
          </select>
        </div>
        <TimeZoneInput label="Time zone" value={draft.timeZone} onChange={(tz) => edit({ timeZone: tz })} />
      </div>
      <p className="hint">{schedule.lastRunAt ? `Last weekly test ${formatDateTime(schedule.lastRunAt)}.` : 'No weekly test has run yet.'}</p>
      <div className="actions">
        {saved && !dirty && (
          <span className="ok" role="status">
            Saved
          </span>
        )}
        <button type="submit" className="primary" disabled={busy || !dirty}>
          Save schedule
        </button>
      </div>
    </form>
  );
}
