// The mailbox's address and state, the closed loop's state and why, and the warmup switches.
import type { Mailbox } from '../../../../shared/domain/mailbox';
import type { WarmupStatus } from '../../../../shared/domain/warmup';
import { fleetStateOf } from '../../../../shared/domain/fleet';
import { StateBadge } from '../../components/StateBadge';
import { ErrorBox } from '../../components/status';
import { loopSummary } from './warmup';
import { useMailbox } from './mailbox-store';
import { useCan } from '../../stores/app';
import { Can } from '../../app/Can';
import { useMailboxEditor } from '../../stores/mailboxes';
import { useReconnect } from '../../stores/reconnect';
import { needsReconnect } from '../../lib/sign-in';
import { AuthSummary } from '../mailboxes/AuthChoice';

export function MailboxHeader({ m, w }: { m: Mailbox; w: WarmupStatus }): React.JSX.Element {
  const setWarmup = useMailbox((s) => s.setWarmup);
  const warmupError = useMailbox((s) => s.warmupError);
  const plan = useMailbox((s) => s.plan.data);
  const openEdit = useMailboxEditor((s) => s.openEdit);
  const reconnect = useReconnect((s) => s.open);
  const canUpdate = useCan('warmup.update');
  const state = fleetStateOf(m.status, { enabled: w.enabled, state: w.pausedAt ? 'paused' : w.state });
  const loop = loopSummary(w, plan);
  return (
    <>
      <div className="page-header">
        <div>
          <h1>{m.email}</h1>
          {m.displayName && <p className="muted">{m.displayName}</p>}
          <AuthSummary auth={m.auth} />
        </div>
        <div className="row">
          <StateBadge state={state} title={w.reason ?? m.lastError?.message} />
          {needsReconnect(m.lastError) && (
            <Can call="oauthSignIns.start">
              <button type="button" className="primary" onClick={() => void reconnect(m.id)}>
                Reconnect
              </button>
            </Can>
          )}
          <Can call="mailboxes.update">
            <button type="button" onClick={() => void openEdit(m.id)}>
              Edit settings
            </button>
          </Can>
        </div>
      </div>
      <section className="card loop-state" aria-label="Warmup state" data-testid="loop-state" data-state={w.pausedAt ? 'paused' : w.state}>
        <p>
          <strong>{loop.headline}</strong>
          {loop.reason && <> — {loop.reason}</>}
          {w.reasonCode && <span className="code muted"> ({w.reasonCode})</span>}
          {loop.until && <span className="muted"> {loop.until}</span>}
        </p>
        {m.status === 'paused' && <p className="muted">The mailbox itself is paused: nothing is sent from it until it is resumed in the Mailboxes table.</p>}
        {m.lastError && (
          <p className="error">
            {m.lastError.protocol.toUpperCase()} {m.lastError.stage} failed: {m.lastError.message} <span className="code">({m.lastError.code})</span>
          </p>
        )}
        <div className="row">
          <label className="check">
            <input type="checkbox" role="switch" checked={w.enabled} disabled={!canUpdate} onChange={(e) => void setWarmup({ enabled: e.target.checked })} /> Warmup on
          </label>
          <label className="check">
            <input type="checkbox" role="switch" checked={w.pool} onChange={(e) => void setWarmup({ pool: e.target.checked })} disabled={!m.imap || !canUpdate} /> Receive warmup mail from the pool
            {!m.imap && <span className="muted"> (needs IMAP)</span>}
          </label>
          {w.enabled && (
            <Can call={w.pausedAt ? 'warmup.resume' : 'warmup.pause'}>
              <button type="button" onClick={() => void setWarmup({ paused: !w.pausedAt })}>
                {w.pausedAt ? 'Resume warmup' : 'Pause warmup'}
              </button>
            </Can>
          )}
        </div>
        <div aria-live="polite">{warmupError && <ErrorBox error={warmupError} />}</div>
      </section>
    </>
  );
}
