import { useShallow } from 'zustand/react/shallow';
import { ACCESS_LEVELS, type ReachedNode } from '../contract';
import { BlastExports } from '../components/AnalysisExports';
import { NodeChip } from '../components/NodeChip';
import { compactCount } from '../format';
import { useApp, useAppStore } from '../store';
import { ContainmentSection } from './Containment';

export function BlastRadiusPanel() {
  const store = useAppStore();
  const { blast, loading, error, selectedId, selectedName } = useApp(
    useShallow((s) => ({ blast: s.blast, loading: s.blastLoading, error: s.blastError, selectedId: s.selectedId, selectedName: s.details?.node.name })),
  );
  const s = store.getState();
  // Resources reached only over edges without an access level (observed use, OpenGraph): shown so the rows add up.
  const unstated = blast ? blast.resources.length - Object.values(blast.byAccessLevel).reduce((a, b) => a + (b ?? 0), 0) : 0;
  return (
    <div className="panel" data-testid="blast-panel">
      <h2>Blast radius</h2>
      <p className="muted small">Everything an attacker holding the origin can reach, step by step over edges that grant access.</p>
      {selectedId && (!blast || blast.origin.id !== selectedId) && (
        <button type="button" className="primary" data-testid="blast-run-selected" onClick={() => void s.runBlast(selectedId)}>
          Blast radius of {selectedName ?? 'the selection'}
        </button>
      )}
      {!blast && !loading && !error && !selectedId && <p>Select a node (or search for a leaked key) and choose “Blast radius”.</p>}
      {loading && <p className="muted">Computing…</p>}
      {error && (
        <p className="error-text" data-testid="blast-error">
          {error}
        </p>
      )}
      {blast && !loading && (
        <>
          <div className="origin-line">
            From <NodeChip node={blast.origin} onClick={() => void s.select(blast.origin.id)} />
          </div>
          <div className="stat-grid" data-testid="blast-counts">
            <Stat label="Identities" value={blast.identities.length} testId="blast-count-identities" />
            <Stat label="Credentials" value={blast.credentials.length} testId="blast-count-credentials" />
            <Stat label="Resources" value={blast.resources.length} testId="blast-count-resources" />
            <Stat label="Admin" value={blast.admins.length} testId="blast-count-admins" alarm={blast.admins.length > 0} />
          </div>
          <p className="muted small">{blast.elapsedMs < 1 ? 'under 1' : Math.round(blast.elapsedMs)} ms</p>
          <BlastExports origin={blast.origin.id} />
          {blast.byBoundary.length > 0 && (
            <table className="grid-table fixed" data-testid="blast-by-boundary">
              <caption>Per boundary</caption>
              <thead>
                <tr>
                  <th scope="col">Boundary</th>
                  <th scope="col" title="Identities">Ident.</th>
                  <th scope="col" title="Credentials">Creds</th>
                  <th scope="col" title="Resources">Res.</th>
                  <th scope="col">Admin</th>
                </tr>
              </thead>
              <tbody>
                {blast.byBoundary.map((b) => (
                  <tr key={b.boundary.id}>
                    <td>{b.boundary.name}</td>
                    <td className="num" title={b.identities.toLocaleString('en-US')}>{compactCount(b.identities)}</td>
                    <td className="num" title={b.credentials.toLocaleString('en-US')}>{compactCount(b.credentials)}</td>
                    <td className="num" title={`${b.resources.toLocaleString('en-US')}${b.viaAdmin ? ` (${b.viaAdmin.resources.toLocaleString('en-US')} through its admin node)` : ''}`}>{compactCount(b.resources)}</td>
                    <td>{b.admin ? <strong className="alarm">yes</strong> : 'no'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {(Object.keys(blast.byAccessLevel).length > 0 || unstated > 0) && (
            <table className="grid-table" data-testid="blast-by-access">
              <caption>Resources per access level</caption>
              <tbody>
                {[...ACCESS_LEVELS, 'admin' as const].filter((l) => blast.byAccessLevel[l]).map((l) => (
                  <tr key={l} title={l === 'admin' ? 'In a boundary whose admin node is reached: controlled as its admin' : undefined}>
                    <td>{l}</td>
                    <td>{blast.byAccessLevel[l]}</td>
                  </tr>
                ))}
                {unstated > 0 && (
                  <tr title="Reached over edges that state no access level: observed use, or a generic (OpenGraph) edge">
                    <td className="muted">level not stated</td>
                    <td>{unstated}</td>
                  </tr>
                )}
              </tbody>
            </table>
          )}
          <ReachedList title="Admin" items={blast.admins} />
          <ReachedList title="Identities" items={blast.identities} />
          <ReachedList title="Credentials" items={blast.credentials} />
          <ReachedList title="Resources" items={blast.resources} />
          <ContainmentSection origin={blast.origin.id} />
        </>
      )}
    </div>
  );
}

function Stat({ label, value, testId, alarm }: { label: string; value: number; testId: string; alarm?: boolean }) {
  return (
    <div className={`stat${alarm ? ' stat-alarm' : ''}`} title={`${value.toLocaleString('en-US')} ${label.toLowerCase()}`}>
      <div className="stat-value" data-testid={testId}>
        {compactCount(value)}
      </div>
      <div className="stat-label">{label}</div>
    </div>
  );
}

const LIST_LIMIT = 50;

function ReachedList({ title, items }: { title: string; items: ReachedNode[] }) {
  const store = useAppStore();
  if (items.length === 0) return null;
  // Reached directly first (nearest first), then what the boundary's admin node gives, high-value first.
  const tier = (r: ReachedNode) => (r.viaAdmin === undefined ? 0 : r.node.marks.includes('high-value') ? 1 : 2);
  const sorted = [...items].sort((a, b) => tier(a) - tier(b) || a.depth - b.depth || a.node.name.localeCompare(b.node.name));
  return (
    <details className="section" open={items.length <= 10}>
      <summary>
        {title}
        <span className="count">{items.length}</span>
      </summary>
      <ul className="plain reached">
        {sorted.slice(0, LIST_LIMIT).map((r) => (
          <li key={r.node.id}>
            <NodeChip node={r.node} onClick={() => void store.getState().select(r.node.id)} />
            <span className="muted small">
              {r.depth} step{r.depth === 1 ? '' : 's'}
              {r.conditional ? ' · conditional' : ''}
              {'accessLevel' in r && r.accessLevel ? ` · ${String(r.accessLevel)}` : ''}
              {r.viaAdmin ? ' · through the admin node' : ''}
            </span>
          </li>
        ))}
      </ul>
      {items.length > LIST_LIMIT && <p className="muted small">and {items.length - LIST_LIMIT} more (see the canvas, or the CLI for the full list)</p>}
    </details>
  );
}
