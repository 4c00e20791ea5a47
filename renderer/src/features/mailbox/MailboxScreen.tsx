// One mailbox: its closed-loop state and why, warmup switches, and three tabs (health, ramp, activity).
import { useEffect } from 'react';
import { hrefOf } from '../../app/router';
import { ErrorBox, Loading } from '../../components/status';
import { StateBadge } from '../../components/StateBadge';
import { fleetStateOf } from '../../../../shared/domain/fleet';
import { formatRelative } from '../../lib/format';
import { useMailbox } from '../../stores/mailbox';
import { HealthTab } from './HealthTab';
import { RampTab } from './RampTab';
import { ActivityTab } from './ActivityTab';

type Tab = 'health' | 'ramp' | 'activity';
const tabs: Array<[Tab, string]> = [
  ['health', 'Health'],
  ['ramp', 'Ramp'],
  ['activity', 'Activity'],
];

export function MailboxScreen({ id, tab }: { id: string; tab: Tab }): React.JSX.Element {
  const open = useMailbox((s) => s.open);
  const mailbox = useMailbox((s) => s.mailbox);
  const warmup = useMailbox((s) => s.warmup);
  const setWarmup = useMailbox((s) => s.setWarmup);
  const saveError = useMailbox((s) => s.saveError);
  useEffect(() => void open(id), [open, id]);

  if (!mailbox.data || !warmup.data) {
    const error = mailbox.error ?? warmup.error;
    return error ? <ErrorBox error={error} onRetry={() => void open(id)} /> : <Loading />;
  }
  const m = mailbox.data;
  const w = warmup.data;
  const state = fleetStateOf(m.status, { enabled: w.enabled, state: w.pausedAt ? 'paused' : w.state });
  return (
    <>
      <p>
        <a href={hrefOf({ name: 'mailboxes' })}>← Mailboxes</a>
      </p>
      <div className="page-header">
        <h1>{m.email}</h1>
        <StateBadge state={state} />
      </div>
      <section className="card loop-state" aria-label="Warmup state" data-testid="loop-state">
        {w.reason ? (
          <p>
            <strong>{w.state}</strong>: {w.reason} <span className="code">({w.reasonCode})</span>
            {w.until && <span className="muted"> until {formatRelative(w.until)}</span>}
          </p>
        ) : (
          <p className="muted">{w.enabled ? `Warming: sending day ${w.progress} of the ramp.` : 'Warmup is off for this mailbox.'}</p>
        )}
        {m.lastError && (
          <p className="error">
            {m.lastError.protocol.toUpperCase()} {m.lastError.stage}: {m.lastError.message} <span className="code">({m.lastError.code})</span>
          </p>
        )}
        <div className="row">
          <label className="check">
            <input type="checkbox" checked={w.enabled} onChange={(e) => void setWarmup({ enabled: e.target.checked })} /> Warmup on
          </label>
          <label className="check">
            <input type="checkbox" checked={w.pool} onChange={(e) => void setWarmup({ pool: e.target.checked })} disabled={!m.imap} /> In the warmup pool
            {!m.imap && <span className="muted"> (needs IMAP)</span>}
          </label>
          {w.enabled && (
            <button type="button" onClick={() => void setWarmup({ paused: !w.pausedAt })}>
              {w.pausedAt ? 'Resume warmup' : 'Pause warmup'}
            </button>
          )}
        </div>
        {saveError && <ErrorBox error={saveError} />}
      </section>
      <nav className="tabs" aria-label="Mailbox sections">
        {tabs.map(([t, label]) => (
          <a key={t} href={hrefOf({ name: 'mailbox', id, tab: t })} aria-current={t === tab ? 'page' : undefined}>
            {label}
          </a>
        ))}
      </nav>
      {tab === 'health' && <HealthTab />}
      {tab === 'ramp' && <RampTab />}
      {tab === 'activity' && <ActivityTab />}
    </>
  );
}
