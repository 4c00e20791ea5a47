// Inbox placement tests: run one, the list of past ones, the weekly schedule; a test's report.
import { useEffect } from 'react';
import { Can, Editable, ReadOnlyNote } from '../../app/Can';
import type { PlacementTest } from '../../../../shared/domain/placement-test';
import { hrefOf } from '../../app/router';
import { Pill } from '../../components/Pill';
import { ErrorBox, Loading } from '../../components/status';
import { formatDateTime, formatPercent } from '../../lib/format';
import { useFleet } from '../../stores/fleet';
import { usePlacement } from './placement-store';
import { NewTestForm, ScheduleForm } from './PlacementForms';
import { PlacementReport } from './PlacementReport';

function TestRow({ t }: { t: PlacementTest }): React.JSX.Element {
  return (
    <tr data-test-id={t.id} data-status={t.status}>
      <td className="nowrap">
        <a href={hrefOf({ name: 'deliverability', tab: 'placement', test: t.id })}>{formatDateTime(t.createdAt)}</a>
      </td>
      <td>{t.from}</td>
      <td>{t.subject}</td>
      <td>{t.status === 'running' ? <Pill tone="info">Running</Pill> : <Pill tone="good">Complete</Pill>}</td>
      <td className="num">{formatPercent(t.inboxRate)}</td>
      <td className="num">{t.totals.inbox}</td>
      <td className="num">{t.totals.spam}</td>
      <td className="num">{t.totals.other}</td>
      <td className="num">{t.totals.missing}</td>
      <td className="num">{t.totals.pending}</td>
    </tr>
  );
}

function TestList(): React.JSX.Element {
  const list = usePlacement((s) => s.list);
  const { load, loadMore } = usePlacement.getState();
  if (!list.data) return list.error ? <ErrorBox error={list.error} onRetry={() => void load()} /> : <Loading />;
  if (list.data.items.length === 0) return <p className="muted">No placement tests yet: the first one you run shows here.</p>;
  return (
    <>
      {list.error && <ErrorBox error={list.error} onRetry={() => void load()} />}
      <div className="table-wrap">
        <table aria-label="Placement tests" data-testid="placement-tests">
          <thead>
            <tr>
              <th scope="col">Started</th>
              <th scope="col">From</th>
              <th scope="col">Subject</th>
              <th scope="col">Status</th>
              {['Inbox rate', 'Inbox', 'Spam', 'Other', 'Missing', 'Waiting'].map((h) => (
                <th scope="col" className="num" key={h}>
                  {h}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {list.data.items.map((t) => (
              <TestRow key={t.id} t={t} />
            ))}
          </tbody>
        </table>
      </div>
      {list.data.nextCursor && (
        <p className="actions">
          <button type="button" onClick={() => void loadMore()} disabled={list.status === 'loading'}>
            Load more
          </button>
        </p>
      )}
    </>
  );
}

export function PlacementTab({ test }: { test?: string }): React.JSX.Element {
  const load = usePlacement((s) => s.load);
  const schedule = usePlacement((s) => s.schedule);
  const seeds = usePlacement((s) => s.seeds);
  const ensureFleet = useFleet((s) => s.ensure);
  useEffect(() => {
    ensureFleet(); // the mailboxes a test can be sent from
    void load();
  }, [load, ensureFleet]);

  if (test) return <PlacementReport id={test} />;
  return (
    <>
      <section className="card" aria-labelledby="pt-new-h">
        <h2 id="pt-new-h">New placement test</h2>
        {seeds.error && <ErrorBox error={seeds.error} onRetry={() => void load()} />}
        <Can call="placementTests.create" otherwise={<ReadOnlyNote call="placementTests.create" what="sending a placement test" />}>
          {seeds.data === null ? !seeds.error && <Loading /> : <NewTestForm />}
        </Can>
      </section>
      <section className="card" aria-labelledby="pt-list-h">
        <h2 id="pt-list-h">Placement tests</h2>
        <TestList />
      </section>
      <section className="card" aria-labelledby="pt-schedule-h">
        <h2 id="pt-schedule-h">Weekly test</h2>
        {schedule.error && <ErrorBox error={schedule.error} onRetry={() => void load()} />}
        <ReadOnlyNote call="placementTests.schedule.update" what="changing the weekly test" />
        <Editable call="placementTests.schedule.update">
          {schedule.data ? <ScheduleForm schedule={schedule.data} /> : !schedule.error && <Loading label="Loading the schedule…" />}
        </Editable>
      </section>
    </>
  );
}

