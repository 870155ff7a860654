import { useShallow } from 'zustand/react/shallow';
import type { BlastDelta, CaseDiff, EdgeChange, ReachChange } from '../contract';
import { NodeChip } from '../components/NodeChip';
import { compactCount, edgeSentence, kindLabel } from '../format';
import { useApp, useAppStore } from '../store';

type Verdict = 'worse' | 'better' | 'mixed' | 'unchanged';

/** The same reading as the CLI's PR comment: does the attack surface grow, shrink, or both. */
export function verdictOf(d: CaseDiff): Verdict {
  const s = d.summary;
  const worse = s.paths.newAdminPaths > 0 || d.paths.some((p) => p.change === 'appeared' && !p.inheritedFrom) || s.paths.nowUnconditional > 0 || (s.findings.newBySeverity.critical ?? 0) + (s.findings.newBySeverity.high ?? 0) > 0 || s.blastRadius.adminGained > 0;
  const better = s.paths.disappeared > 0 || s.paths.nowConditional > 0 || s.findings.fixed > 0 || s.blastRadius.adminLost > 0 || s.blastRadius.shrank > 0;
  return worse && better ? 'mixed' : worse ? 'worse' : better ? 'better' : 'unchanged';
}

const VERDICT_TEXT: Record<Verdict, string> = {
  worse: 'Attack surface grows',
  better: 'Attack surface shrinks',
  mixed: 'Mixed: some ways in appear, others go',
  unchanged: 'No change to paths, blast radius or findings',
};

const arrow = (a: number, b: number) => (a === b ? compactCount(b) : `${compactCount(a)} → ${compactCount(b)}`);

export function CompareResult() {
  const store = useAppStore();
  const { d, impact, focus } = useApp(useShallow((s) => ({ d: s.compare!, impact: s.compareImpact, focus: s.compareFocus })));
  const s = store.getState();
  const sum = d.summary;
  const verdict = verdictOf(d);
  const appeared = d.paths.map((p, i) => [p, i] as const).filter(([p]) => p.change === 'appeared' || p.change === 'now-unconditional');
  const gone = d.paths.map((p, i) => [p, i] as const).filter(([p]) => p.change === 'disappeared' || p.change === 'now-conditional');
  const edgeTotal = Object.values(sum.edges).reduce((n, c) => n + c.added + c.removed + c.changed, 0);
  const nodeTotal = Object.values(sum.nodes).reduce((n, c) => n + c.added + c.removed + c.changed, 0);
  const item = (key: string) => ({ className: `compare-item${focus === key ? ' active' : ''}`, 'aria-pressed': focus === key, onClick: () => s.focusCompareItem(key) });

  return (
    <div className="compare-result" data-testid="compare-result">
      <div className="compare-sides small">
        <div>
          <span className="muted">Before</span> <span className="ellipsis" title={d.before.label}>{d.before.label}</span>
        </div>
        <div>
          <span className="muted">After</span> <span className="ellipsis" title={d.after.label}>{d.after.label}</span>
        </div>
      </div>
      <div className={`compare-verdict verdict-${verdict}`} data-testid="compare-verdict" data-verdict={verdict}>
        {VERDICT_TEXT[verdict]}
      </div>
      <div className="stat-grid compare-stats">
        <Stat label="New to admin" value={sum.paths.newAdminPaths} testId="compare-stat-new-admin" tone={sum.paths.newAdminPaths ? 'bad' : undefined} />
        <Stat label="Paths gone" value={sum.paths.disappeared} testId="compare-stat-paths-gone" tone={sum.paths.disappeared ? 'good' : undefined} />
        <Stat label="New findings" value={sum.findings.new} testId="compare-stat-findings-new" tone={sum.findings.new ? 'bad' : undefined} />
        <Stat label="Fixed" value={sum.findings.fixed} testId="compare-stat-findings-fixed" tone={sum.findings.fixed ? 'good' : undefined} />
      </div>
      {impact && (
        <div className="compare-impact small" data-testid="compare-impact">
          <div>
            Imported into a private copy: {impact.imported.map((x) => `${x.fileName} (${x.format})`).join(', ')}
          </div>
          {impact.replaced.length ? (
            impact.replaced.map((r) => (
              <div key={r.source.id} data-testid="compare-replaced">
                replaces <strong>{r.source.fileName}</strong> — {r.rule}
              </div>
            ))
          ) : (
            <div className="muted">It replaces no source of the case: everything it states is added.</div>
          )}
        </div>
      )}
      <Section title="New paths to admin or high value" count={sum.paths.appeared + sum.paths.nowUnconditional} open testId="compare-appeared">
        {appeared.map(([p, i]) => (
          <li key={i}>
            <button type="button" {...item(`path:${i}`)} data-testid="compare-path-item">
              <PathEntry p={p} />
            </button>
          </li>
        ))}
      </Section>
      <Section title="Paths that disappeared" count={sum.paths.disappeared + sum.paths.nowConditional} open testId="compare-disappeared">
        {gone.map(([p, i]) => (
          <li key={i}>
            <button type="button" {...item(`path:${i}`)} data-testid="compare-path-item">
              <PathEntry p={p} />
            </button>
          </li>
        ))}
      </Section>
      <Section title="Blast radius per credential" count={d.blastRadius.length} open testId="compare-blast">
        {d.blastRadius.map((b, i) => (
          <li key={b.origin.id}>
            <button type="button" {...item(`blast:${i}`)} data-testid="compare-blast-item">
              <BlastEntry b={b} />
            </button>
          </li>
        ))}
      </Section>
      <Section title="Findings" count={sum.findings.new + sum.findings.fixed + sum.findings.changed} open testId="compare-findings">
        {d.findings.map((f, i) => (
          <li key={i} className="compare-finding" data-testid="compare-finding-item">
            <span className={`change-badge ${f.change === 'new' ? 'added' : f.change === 'fixed' ? 'removed' : 'changed'}`}>{f.change}</span>
            <span className={`sev sev-${f.finding.severity}`}>{f.finding.severity}</span>
            <span className="compare-finding-title">{f.finding.title}</span>
          </li>
        ))}
      </Section>
      <Section title="Trust, grants and other edges" count={edgeTotal} testId="compare-edges">
        {d.edges.map((e, i) => (
          <li key={i}>
            <button type="button" {...item(`edge:${i}`)} data-testid="compare-edge-item">
              <EdgeEntry e={e} />
            </button>
          </li>
        ))}
      </Section>
      <Section title="Identities, credentials, other nodes" count={nodeTotal} testId="compare-nodes">
        {d.nodes.map((n, i) => (
          <li key={i}>
            <button type="button" {...item(`node:${i}`)}>
              <span className={`change-badge ${n.change}`}>{n.change}</span> <NodeChip node={n.node} />
              {n.details?.length ? <div className="muted small">{n.details.join('; ')}</div> : null}
            </button>
          </li>
        ))}
      </Section>
      {d.rotations.length > 0 && (
        <Section title="Keys rotated" count={d.rotations.length} testId="compare-rotations">
          {d.rotations.map((r, i) => (
            <li key={r.holder.id}>
              <button type="button" {...item(`rotation:${i}`)}>
                <NodeChip node={r.holder} />
                <div className="small">
                  {r.retired.map((x) => `${x.credential.name} (${x.how})`).join(', ')} → {r.introduced.map((n) => n.name).join(', ')}
                </div>
              </button>
            </li>
          ))}
        </Section>
      )}
      {d.bounds.length > 0 && (
        <div className="compare-bounds muted small" data-testid="compare-bounds">
          {d.bounds.map((b) => (
            <div key={b.what}>{b.note}</div>
          ))}
        </div>
      )}
      <p className="muted small">{d.elapsedMs} ms</p>
    </div>
  );
}

function Stat({ label, value, testId, tone }: { label: string; value: number; testId: string; tone?: 'good' | 'bad' | undefined }) {
  return (
    <div className={`stat${tone ? ` stat-${tone}` : ''}`} data-testid={testId} title={value.toLocaleString('en-US')}>
      <div className="stat-value">{compactCount(value)}</div>
      <div className="stat-label">{label}</div>
    </div>
  );
}

function Section({ title, count, open, testId, children }: { title: string; count: number; open?: boolean; testId: string; children: React.ReactNode }) {
  if (!count) return null;
  return (
    <details className="section" open={open} data-testid={testId}>
      <summary>
        {title} <span className="count">{compactCount(count)}</span>
      </summary>
      <ul className="plain compare-list">{children}</ul>
    </details>
  );
}

const CHANGE_WORD: Record<ReachChange['change'], string> = { appeared: 'new', disappeared: 'gone', 'now-unconditional': 'condition gone', 'now-conditional': 'now conditional' };

function PathEntry({ p }: { p: ReachChange }) {
  const steps = p.after.steps ?? p.before.steps;
  return (
    <>
      <div className="compare-item-head">
        <span className={`change-badge ${p.change === 'appeared' || p.change === 'now-unconditional' ? 'added' : 'removed'}`}>{CHANGE_WORD[p.change]}</span>
        <NodeChip node={p.origin} />
      </div>
      <div className="small">
        → <strong>{p.target.name}</strong>
        <span className="muted">
          {steps !== undefined ? ` · ${steps} step${steps === 1 ? '' : 's'}` : ''}
          {p.originClass === 'compromised' ? ' · compromised' : ''}
        </span>
      </div>
      {p.inheritedFrom && <div className="muted small">new credential of {p.inheritedFrom.name}, which already had this path</div>}
      {p.path && (
        <ol className="path-steps">
          {p.path.steps.map((st, j) => (
            <li key={j} className={st.edge.conditional ? 'conditional' : undefined}>
              {edgeSentence(st.edge, st.from, st.to)}
              {st.edge.technique ? <span className="muted"> ({st.edge.technique})</span> : null}
            </li>
          ))}
        </ol>
      )}
    </>
  );
}

function BlastEntry({ b }: { b: BlastDelta }) {
  return (
    <>
      <div className="compare-item-head">
        <NodeChip node={b.origin} />
        {b.presence !== 'both' && <span className={`change-badge ${b.presence === 'added' ? 'added' : 'removed'}`}>{b.presence === 'added' ? 'new' : 'gone'}</span>}
      </div>
      <div className="small">
        identities {arrow(b.before.identities, b.after.identities)} · resources {arrow(b.before.resources, b.after.resources)} · admin {arrow(b.before.admins, b.after.admins)}
      </div>
      {b.adminGained.map((n) => (
        <div key={n.id} className="small diff-word added" title="admin gained">
          + {n.name}
        </div>
      ))}
      {b.adminLost.map((n) => (
        <div key={n.id} className="small diff-word removed" title="admin lost">
          − {n.name}
        </div>
      ))}
      {b.byAccessLevel.length > 0 && <div className="muted small">{b.byAccessLevel.map((l) => `${l.level} ${arrow(l.before, l.after)}`).join(' · ')}</div>}
    </>
  );
}

function EdgeEntry({ e }: { e: EdgeChange }) {
  return (
    <>
      <div className="compare-item-head">
        <span className={`change-badge ${e.change}`}>{e.change}</span>
        <span className="small muted">{e.family}</span>
      </div>
      <div className="small">
        {edgeSentence(e, e.from, e.to)}
        {e.technique ? <span className="muted"> ({e.technique})</span> : null}
      </div>
      <div className="muted small">
        {kindLabel(e.from.kind)} → {kindLabel(e.to.kind)}
        {e.details?.length ? ` · ${e.details.join('; ')}` : ''}
      </div>
    </>
  );
}
