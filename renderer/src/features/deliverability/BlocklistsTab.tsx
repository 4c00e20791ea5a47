// DNS blocklists: every target (the mailboxes' domains, self-hosted SMTP addresses, extra ones)
// against every enabled zone, with what each list answered and what it means; "Scan now"; the
// settings. An error is never a listing: it says why the list gave no verdict, and a target whose
// lists did not all answer is drawn as unknown (grey), never as a green "Not listed".
import { useEffect } from 'react';
import { Can, Editable, ReadOnlyNote } from '../../app/Can';
import type { BlocklistTarget } from '../../../../shared/domain/blocklist';
import { VerdictBadge } from '../../components/VerdictBadge';
import { EmptyState, ErrorBox, Loading } from '../../components/status';
import { blocklistMeaning } from '../../lib/deliverability';
import { formatDateTime, formatRelative } from '../../lib/format';
import { useBlocklists } from './blocklists-store';
import { BlocklistSettingsForm } from './BlocklistSettingsForm';
import { plural } from '../../../../shared/plural';

const sourceWords = { mailbox: "a mailbox's domain", 'smtp-host': 'a self-hosted SMTP server', manual: 'added in settings' } as const;

function TargetTable({ target }: { target: BlocklistTarget }): React.JSX.Element {
  const id = `bl-${target.value.replace(/[^a-z0-9]/gi, '-')}`;
  return (
    <section className="card" data-target={target.value} aria-labelledby={id}>
      <h3 id={id}>
        <code>{target.value}</code>{' '}
        <span className="muted">
          {target.kind === 'ip' ? 'IP address' : 'domain'}, {target.sources.map((s) => sourceWords[s]).join(', ')}
        </span>{' '}
        {target.results.length > 0 && <VerdictBadge verdict={target.verdict} testId="target-verdict" />}
      </h3>
      {target.results.length > 0 && target.verdict.state === 'unknown' && (
        <p className="muted" data-testid="target-verdict-detail">
          {target.verdict.detail}
        </p>
      )}
      {target.results.length === 0 ? (
        <p className="muted">Not scanned yet: Scan now checks it against every enabled list.</p>
      ) : (
        <div className="table-wrap">
          <table aria-labelledby={id}>
            <thead>
              <tr>
                <th scope="col">List</th>
                <th scope="col">Verdict</th>
                <th scope="col">Meaning</th>
                <th scope="col">Since</th>
                <th scope="col">Checked</th>
              </tr>
            </thead>
            <tbody>
              {target.results.map((r) => (
                <tr key={r.zone} data-zone={r.zone} data-status={r.status}>
                  <td>
                    {r.label} <span className="muted code">{r.zone}</span>
                  </td>
                  <td>
                    <VerdictBadge verdict={r.verdict} />
                  </td>
                  <td className={r.status === 'clear' ? 'muted' : undefined}>{blocklistMeaning(r)}</td>
                  <td className="nowrap">{r.listedSince ? formatDateTime(r.listedSince) : r.status === 'clear' ? `clear since ${formatDateTime(r.changedAt)}` : '—'}</td>
                  <td className="nowrap muted">{formatRelative(r.checkedAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

export function BlocklistsTab(): React.JSX.Element {
  const overview = useBlocklists((s) => s.overview);
  const settings = useBlocklists((s) => s.settings);
  const scanning = useBlocklists((s) => s.scanning);
  const scanError = useBlocklists((s) => (s.actionError?.scope === 'scan' ? s.actionError.error : null));
  const { load, scan } = useBlocklists.getState();
  useEffect(() => void load(), [load]);

  const o = overview.data;
  const scanLine = o?.lastScan ? (
    <p className="muted" data-testid="last-scan">
      Last scan{' '}
      <time dateTime={o.lastScan.finishedAt} title={formatDateTime(o.lastScan.finishedAt)}>
        {formatRelative(o.lastScan.finishedAt)}
      </time>{' '}
      ({o.lastScan.trigger === 'manual' ? 'asked for' : 'scheduled'}): {plural(o.summary.targets, 'target', 'targets')} × {plural(o.summary.zones, 'list', 'lists')}, {o.summary.listed} listed, {o.summary.clear} clear,{' '}
      {o.summary.error} without a verdict{o.lastScan.dqs ? ', Spamhaus through DQS' : ''}.
    </p>
  ) : (
    <p className="muted" data-testid="last-scan">
      No scan yet.
    </p>
  );
  return (
    <>
      <section className="card" aria-labelledby="bl-h">
        <div className="page-header">
          <h2 id="bl-h">Blocklists</h2>
          <Can call="blocklists.scan">
            <button type="button" className="primary" onClick={() => void scan()} disabled={scanning}>
              {scanning ? 'Scanning…' : 'Scan now'}
            </button>
          </Can>
        </div>
        {o && scanLine}
        {scanError && <ErrorBox error={scanError} />}
        {o && !o.lastScan?.dqs && o.targets.some((t) => t.results.some((r) => r.error?.code === 'BLOCKED_RESOLVER')) && (
          <p className="warning">Spamhaus refuses queries from public resolvers. Set a free Spamhaus DQS key in the settings below to get verdicts from its lists.</p>
        )}
      </section>
      {overview.error && <ErrorBox error={overview.error} onRetry={() => void load()} />}
      {!o ? (
        !overview.error && <Loading />
      ) : o.targets.length === 0 ? (
        <EmptyState title="Nothing to check yet">
          Kiln checks your mailboxes&apos; own domains (not shared ones like gmail.com) and the addresses of self-hosted SMTP servers. Add a mailbox, or add IPs and
          domains in the settings below.
        </EmptyState>
      ) : (
        <div data-testid="blocklist-targets" aria-live="polite">
          {o.targets.map((t) => (
            <TargetTable key={t.value} target={t} />
          ))}
        </div>
      )}
      <section className="card" aria-labelledby="bl-settings-h">
        <h2 id="bl-settings-h">Blocklist settings</h2>
        {settings.error && <ErrorBox error={settings.error} onRetry={() => void load()} />}
        <ReadOnlyNote call="blocklists.settings.update" what="changing these settings" />
        <Editable call="blocklists.settings.update">
          {settings.data ? <BlocklistSettingsForm settings={settings.data} /> : !settings.error && <Loading label="Loading settings…" />}
        </Editable>
      </section>
    </>
  );
}

