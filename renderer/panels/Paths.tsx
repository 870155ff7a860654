import { useShallow } from 'zustand/react/shallow';
import type { AttackPath } from '../contract';
import { NodeChip } from '../components/NodeChip';
import { edgeSentence } from '../format';
import { edgeKey } from '../store/graph-slice';
import { useApp, useAppStore } from '../store';
import type { PathTarget } from '../store/analysis-slice';

function targetLabel(t: PathTarget): string {
  return t === 'crown' ? 'admin or high-value nodes' : t === 'admin' ? 'any admin' : t === 'high-value' ? 'high-value nodes' : t.name;
}

export function PathsPanel() {
  const store = useAppStore();
  const { paths, loading, error, from, target, highlighted, selected, selectedEdge } = useApp(
    useShallow((s) => ({ paths: s.paths, loading: s.pathsLoading, error: s.pathsError, from: s.pathFrom, target: s.pathTarget, highlighted: s.highlightedPath, selected: s.details?.node, selectedEdge: s.selectedEdge })),
  );
  const s = store.getState();
  return (
    <div className="panel" data-testid="paths-panel">
      <h2>Attack paths</h2>
      <p className="muted small">Shortest routes first. Click a route to highlight it, a step to read its evidence; a step that several edges take lists the others under it.</p>
      <div className="path-controls">
        <label>
          To{' '}
          <select
            data-testid="paths-target"
            value={typeof target === 'string' ? target : 'node'}
            onChange={(e) => {
              const v = e.target.value;
              const next: PathTarget = v === 'crown' || v === 'admin' || v === 'high-value' ? v : selected ? { id: selected.id, name: selected.name } : 'crown';
              if (from) void s.runPaths(from.id, next);
              else store.setState({ pathTarget: next });
            }}
          >
            <option value="crown">admin or high value</option>
            <option value="admin">any admin</option>
            <option value="high-value">high-value nodes</option>
            {typeof target !== 'string' && <option value="node">{target.name}</option>}
          </select>
        </label>
        {selected && from && selected.id !== from.id && (
          <button type="button" onClick={() => void s.runPaths(from.id, { id: selected.id, name: selected.name })} title="Paths from the origin to the selected node">
            to {selected.name}
          </button>
        )}
        {selected && (!from || selected.id !== from.id) && (
          <button type="button" className="primary" data-testid="paths-run-selected" onClick={() => void s.runPaths(selected.id)}>
            from {selected.name}
          </button>
        )}
      </div>
      {!from && !selected && <p>Select a node (or search for a leaked key), then list its paths to admin.</p>}
      {from && (
        <div className="origin-line">
          From <NodeChip node={from} /> to {targetLabel(target)}
        </div>
      )}
      {loading && <p className="muted">Searching…</p>}
      {error && <p className="error-text">{error}</p>}
      {!loading && !error && from && paths.length === 0 && <p data-testid="paths-none">No path found.</p>}
      <ol className="path-list" data-testid="path-list">
        {paths.map((p, i) => (
          <PathItem key={i} path={p} index={i} active={highlighted === i} selectedEdge={selectedEdge} />
        ))}
      </ol>
    </div>
  );
}

/**
 * One route: its head toggles the highlight on the canvas; each step is an edge to select (its evidence opens in
 * the details panel and the route stays highlighted). A step several edges can take lists the others under it.
 */
function PathItem({ path, index, active, selectedEdge }: { path: AttackPath; index: number; active: boolean; selectedEdge: string | null }) {
  const store = useAppStore();
  const s = store.getState();
  const last = path.steps[path.steps.length - 1];
  return (
    <li className={`path-item${active ? ' active' : ''}`} data-testid="path-item" data-active={active}>
      <button type="button" className="path-head" data-testid="path-toggle" aria-pressed={active} onClick={() => s.highlightPath(active ? null : index)}>
        <span className="path-rank">#{index + 1}</span>
        <span className="path-target">{last?.to.name}</span>
        <span className="muted small">
          {path.steps.length} step{path.steps.length === 1 ? '' : 's'}
          {path.conditional ? ' · conditional' : ''}
        </span>
      </button>
      <ol className="path-steps">
        {path.steps.map((st, j) => {
          const key = edgeKey(st.edge.id);
          return (
            <li key={j} className={st.edge.conditional ? 'conditional' : undefined}>
              <button type="button" className={`step${selectedEdge === key ? ' selected' : ''}`} data-testid="path-step" aria-pressed={selectedEdge === key} onClick={() => s.selectStep(index, key)} title="Select this step: its evidence opens on the right">
                {edgeSentence(st.edge, st.from, st.to)}
              </button>
              {(st.alternatives ?? []).map((alt) => {
                const altKey = edgeKey(alt.id);
                // The same step stated by another source is evidence more, not another way.
                const same = alt.kind === st.edge.kind && alt.technique === st.edge.technique;
                const technique = alt.kind === st.edge.kind && alt.technique ? ` (${alt.technique}${alt.conditional ? ', conditional' : ''})` : '';
                return (
                  <button key={alt.id} type="button" className={`step step-alt${selectedEdge === altKey ? ' selected' : ''}`} data-testid="path-step-alt" aria-pressed={selectedEdge === altKey} onClick={() => s.selectStep(index, altKey)}>
                    {same ? `also stated by ${alt.source?.fileName ?? 'the analysis'}` : `or: ${edgeSentence(alt, st.from, st.to)}${technique}`}
                  </button>
                );
              })}
            </li>
          );
        })}
      </ol>
    </li>
  );
}
