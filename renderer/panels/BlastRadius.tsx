import { useShallow } from 'zustand/react/shallow';
import { ACCESS_LEVELS, type ReachedNode, type ReachedResource } from '../contract';
import { BlastExports } from '../components/AnalysisExports';
import { NodeChip } from '../components/NodeChip';
import { VirtualList } from '../components/VirtualList';
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
  const highValue = blast?.highValue ?? [];
  const admind = blast ? blast.byBoundary.filter((b) => b.admin) : [];
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
          <div className="stat-grid stat-grid-6" data-testid="blast-counts">
            <Stat label="Identities" value={blast.identities.length} testId="blast-count-identities" />
            <Stat label="Credentials" value={blast.credentials.length} testId="blast-count-credentials" />
            <Stat label="Resources" value={blast.resources.length} testId="blast-count-resources" />
            <Stat label="Admin" value={blast.admins.length} testId="blast-count-admins" alarm={blast.admins.length > 0} title="Admin nodes reached: whoever reaches one holds its whole boundary" />
            <Stat label="High value" value={highValue.length} testId="blast-count-high-value" alarm={highValue.length > 0} title="Reached nodes marked high value (tier zero, crown jewels)" />
            <Stat label="Boundaries held" value={admind.length} testId="blast-count-boundaries-admin" alarm={admind.length > 0} title={`${admind.length} of the ${blast.byBoundary.length} boundaries reached are held whole: their admin is reached`} text={`${compactCount(admind.length)}/${compactCount(blast.byBoundary.length)}`} />
          </div>
          <p className="muted small" title="Time the engine took for the walk">
            Walked in {blast.elapsedMs < 1 ? 'under 1' : Math.round(blast.elapsedMs).toLocaleString('en-US')} ms.
          </p>
          <BlastExports origin={blast.origin.id} />
          {blast.byBoundary.length > 0 && (
            <table className="grid-table fixed" data-testid="blast-by-boundary">
              <caption>Per boundary</caption>
              <thead>
                <tr>
                  <th scope="col">Boundary</th>
                  <th scope="col" title="Identities">Id</th>
                  <th scope="col" title="Credentials">Cr</th>
                  <th scope="col" title="Resources">Res</th>
                  <th scope="col" title="High-value nodes reached">HV</th>
                  <th scope="col" title="Its admin is reached: the whole boundary is held">Held</th>
                </tr>
              </thead>
              <tbody>
                {blast.byBoundary.map((b) => (
                  <tr key={b.boundary.id}>
                    <td>{b.boundary.name}</td>
                    <td className="num" title={b.identities.toLocaleString('en-US')}>{compactCount(b.identities)}</td>
                    <td className="num" title={b.credentials.toLocaleString('en-US')}>{compactCount(b.credentials)}</td>
                    <td className="num" title={`${b.resources.toLocaleString('en-US')}${b.viaAdmin ? ` (${b.viaAdmin.resources.toLocaleString('en-US')} through its admin node)` : ''}`}>{compactCount(b.resources)}</td>
                    <td className="num">{b.highValue ? <strong className="alarm">{compactCount(b.highValue)}</strong> : 0}</td>
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
                    <td className="num">{blast.byAccessLevel[l]?.toLocaleString('en-US')}</td>
                  </tr>
                ))}
                {unstated > 0 && (
                  <tr title="Reached over edges that grant no stated access level: activity seen in logs, or a generic OpenGraph edge">
                    <td className="muted">reached, access level unknown (observed or generic edge)</td>
                    <td className="num">{unstated.toLocaleString('en-US')}</td>
                  </tr>
                )}
              </tbody>
            </table>
          )}
          <ReachedList title="Admin" items={blast.admins} testId="reached-admins" />
          <ReachedList title="High value" items={highValue} testId="reached-high-value" />
          <ReachedList title="Identities" items={blast.identities} testId="reached-identities" />
          <ReachedList title="Credentials" items={blast.credentials} testId="reached-credentials" />
          <ReachedList title="Resources" items={blast.resources} testId="reached-resources" />
          <ContainmentSection origin={blast.origin.id} />
        </>
      )}
    </div>
  );
}

function Stat({ label, value, testId, alarm, title, text }: { label: string; value: number; testId: string; alarm?: boolean; title?: string; text?: string }) {
  return (
    <div className={`stat${alarm ? ' stat-alarm' : ''}`} title={title ?? `${value.toLocaleString('en-US')} ${label.toLowerCase()}`}>
      <div className="stat-value" data-testid={testId}>
        {text ?? compactCount(value)}
      </div>
      <div className="stat-label">{label}</div>
    </div>
  );
}

// Two lines a row: the node, then how far and at which access level (a long name never hides the level).
const ROW_HEIGHT = 44;

/** Every reached node of one kind, nearest first, in a virtualised list (never cut short). */
function ReachedList({ title, items, testId }: { title: string; items: ReachedNode[]; testId: string }) {
  const store = useAppStore();
  if (items.length === 0) return null;
  // Reached directly first (nearest first), then what the boundary's admin node gives, high-value first.
  const tier = (r: ReachedNode) => (r.viaAdmin === undefined ? 0 : r.node.marks.includes('high-value') ? 1 : 2);
  const sorted = [...items].sort((a, b) => tier(a) - tier(b) || a.depth - b.depth || a.node.name.localeCompare(b.node.name));
  return (
    <details className="section" open={items.length <= 10} data-testid={testId}>
      <summary>
        {title}
        <span className="count">{items.length.toLocaleString('en-US')}</span>
      </summary>
      <VirtualList
        items={sorted}
        rowHeight={ROW_HEIGHT}
        itemKey={(r) => r.node.id}
        testId={`${testId}-list`}
        render={(r) => (
          <div className="reached-row" data-testid="reached-row">
            <NodeChip node={r.node} onClick={() => void store.getState().select(r.node.id).then(() => store.getState().sendCommand('center-selection'))} />
            <span className="muted small">
              {r.depth} step{r.depth === 1 ? '' : 's'}
              {r.conditional ? ' · conditional' : ''}
              {(r as ReachedResource).accessLevel ? ` · ${String((r as ReachedResource).accessLevel)}` : ''}
              {r.viaAdmin ? ' · through the admin node' : ''}
            </span>
          </div>
        )}
      />
    </details>
  );
}
