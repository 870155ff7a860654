import { useShallow } from 'zustand/react/shallow';
import type { Reacher } from '../contract';
import { NodeChip } from '../components/NodeChip';
import { useApp, useAppStore } from '../store';

// "Who can reach this?" in the details of any node: every identity and credential with a route to it, directly
// or through the admin node of its boundary (which holds everything inside), nearest first. The same answer as
// `blastmap reachers`.

export function ReachersButton({ nodeId }: { nodeId: string }) {
  const store = useAppStore();
  return (
    <button type="button" data-testid="action-reachers" onClick={() => void store.getState().runReachers(nodeId)}>
      Who can reach this?
    </button>
  );
}

export function ReachersSection({ nodeId }: { nodeId: string }) {
  const store = useAppStore();
  const r = useApp(useShallow((s) => (s.reachersOf?.id === nodeId ? s.reachersOf : null)));
  if (!r) return null;
  const close = (
    <button type="button" className="link small" data-testid="reachers-close" onClick={() => store.getState().clearReachers()}>
      close
    </button>
  );
  if (r.loading) return <section className="reachers" data-testid="reachers"><h3>Who can reach this?</h3><p className="muted">Walking the graph backwards…</p></section>;
  if (r.error || !r.result) return <section className="reachers" data-testid="reachers"><h3>Who can reach this? {close}</h3><p className="error-text">{r.error}</p></section>;
  const { counts, reachers, admin, truncated } = r.result;
  const direct = reachers.filter((x) => x.direct);
  const viaAdmin = reachers.filter((x) => !x.direct);
  const select = (id: string) => void store.getState().focus(id);
  return (
    <section className="reachers" data-testid="reachers" aria-label="Who can reach this node">
      <h3>
        Who can reach this? {close}
      </h3>
      <p className="reachers-counts" data-testid="reachers-counts">
        <strong>{counts.identities.toLocaleString('en-US')}</strong> {counts.identities === 1 ? 'identity' : 'identities'} and <strong>{counts.credentials.toLocaleString('en-US')}</strong> {counts.credentials === 1 ? 'credential' : 'credentials'}: {counts.direct.toLocaleString('en-US')} directly
        {admin && (
          <>
            , {counts.throughAdmin.toLocaleString('en-US')} through {admin.name}
            {counts.onlyThroughAdmin > 0 && <> ({counts.onlyThroughAdmin.toLocaleString('en-US')} only that way)</>}
          </>
        )}
        .
      </p>
      {reachers.length === 0 && <p className="muted">Nobody in the case has a route to it.</p>}
      {direct.length > 0 && <ReacherList title="Directly" items={direct} onSelect={select} testId="reachers-direct" />}
      {viaAdmin.length > 0 && <ReacherList title={`Only through ${admin?.name ?? 'admin'}`} items={viaAdmin} onSelect={select} testId="reachers-admin" />}
      {truncated && <p className="muted small">The first {reachers.length} are listed; the counts are complete (the CLI lists them all with --limit).</p>}
    </section>
  );
}

function ReacherList({ title, items, onSelect, testId }: { title: string; items: Reacher[]; onSelect: (id: string) => void; testId: string }) {
  return (
    <div data-testid={testId}>
      <h4>{title}</h4>
      <ul className="plain reacher-items">
        {items.map((x) => (
          <li key={x.node.id} className="reacher-row">
            <NodeChip node={x.node} onClick={() => onSelect(x.node.id)} />
            <span className="muted small reacher-how">{how(x)}</span>
          </li>
        ))}
      </ul>
    </div>
  );
}

function how(x: Reacher): string {
  const steps = (n: number) => `${n} step${n === 1 ? '' : 's'}`;
  const routes = (n: number) => `${n.toLocaleString('en-US')} route${n === 1 ? '' : 's'}`;
  const parts = x.direct ? [steps(x.depth), routes(x.paths)] : [`${steps(x.depth)} via admin`, routes(x.adminPaths)];
  if (x.direct && x.throughAdmin) parts.push('also via admin');
  if (x.conditional) parts.push('conditional');
  return parts.join(' · ');
}
