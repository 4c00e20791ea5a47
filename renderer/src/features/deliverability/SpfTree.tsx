// The SPF record and every record it includes, indented, with the DNS lookups each term costs and
// the running count against the limit of 10: the term that crosses it is marked, and what the walk
// did not follow after it is shown dimmed (the partial tree checkdmarc's users asked for).
import type { SpfCheck, SpfNode } from '../../../../shared/domain/auth-check';
import { Pill } from '../../components/Pill';
import { evaluationOrder, spfMarks, type TermMark } from './spf';
import { plural } from '../../../../shared/plural';

type Marks = ReturnType<typeof spfMarks>;

function NodeItem({ node, check, marks }: { node: SpfNode; check: SpfCheck; marks: Marks }): React.JSX.Element {
  const byId = (id: number | null) => (id === null ? undefined : check.tree.find((n) => n.id === id));
  const total = marks.subtree.get(node.id) ?? 0;
  return (
    <li className="spf-node" data-domain={node.domain}>
      <div className="spf-node-head">
        {node.via && <span className="badge">{node.via}</span>} <code>{node.domain}</code>{' '}
        <span className="muted">
          {plural(total, 'lookup', 'lookups')}
          {node.parent === null ? ' in all' : ' here and below'}
        </span>
      </div>
      {node.record && <code className="spf-record">{node.record}</code>}
      {node.error &&
        // The check's problem list says it already: the tree only marks where it happened.
        (check.problems.some((p) => p.code === node.error!.code) ? (
          <p className="error">
            Here: <span className="code">{node.error.code}</span> (see the problems above)
          </p>
        ) : (
          <p className="error">
            {node.error.message} <span className="code">({node.error.code})</span>
          </p>
        ))}
      {node.terms.length > 0 && (
        <ul>
          {evaluationOrder(node).map((t, i) => {
            const m: TermMark = marks.terms.get(t) ?? { running: null, overLimit: false };
            const child = byId(t.child);
            return (
              <li key={`${i}-${t.raw}`} className={`spf-term${m.overLimit ? ' over-limit' : ''}${t.evaluated ? '' : ' not-evaluated'}`} data-term={t.raw} data-over-limit={m.overLimit || undefined}>
                <code>{t.raw}</code>
                {m.running !== null && (
                  <span className="lookup-count" title="DNS lookups counted so far, this one included">
                    {' '}
                    lookup {m.running} of {check.limits.lookups}
                  </span>
                )}
                {t.addressLookups > 0 && <span className="muted"> (+{t.addressLookups} address lookups)</span>}
                {t.voidLookups > 0 && <span className="warn-text"> void lookup</span>}
                {m.overLimit && (
                  <>
                    {' '}
                    <Pill tone="bad">over the limit</Pill>
                  </>
                )}
                {!t.evaluated && !m.overLimit && <span className="muted"> not evaluated</span>}
                {t.note && !m.overLimit && <span className="muted"> — {t.note}</span>}
                {child && (
                  <ul>
                    <NodeItem node={child} check={check} marks={marks} />
                  </ul>
                )}
              </li>
            );
          })}
        </ul>
      )}
    </li>
  );
}

export function SpfTree({ check }: { check: SpfCheck }): React.JSX.Element | null {
  const root = check.tree.find((n) => n.parent === null);
  // No record, no tree: the problems say why.
  if (!root || !check.record) return null;
  const marks = spfMarks(check);
  const over = check.lookups > check.limits.lookups;
  return (
    <div className="spf-tree" data-testid="spf-tree" data-complete={check.complete}>
      <h4>Include tree</h4>
      <p className={over ? 'error' : 'muted'}>
        {check.lookups} of {check.limits.lookups} DNS lookups, {check.voidLookups} of {check.limits.voidLookups} void lookups.
        {!check.complete && ' The walk stopped at the limit: receivers return permerror, and the terms after the marked one were not followed.'}
      </p>
      <ul className="tree">
        <NodeItem node={root} check={check} marks={marks} />
      </ul>
      {check.evaluation && (
        <p className="muted">
          {check.evaluation.ip} against this record: <strong>{check.evaluation.result}</strong>
          {check.evaluation.comment ? ` (${check.evaluation.comment})` : ''}
        </p>
      )}
    </div>
  );
}
