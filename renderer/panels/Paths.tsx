import { useShallow } from 'zustand/react/shallow';
import { NodeChip } from '../components/NodeChip';
import { edgeSentence } from '../format';
import { useApp, useAppStore } from '../store';
import type { PathTarget } from '../store/analysis-slice';

function targetLabel(t: PathTarget): string {
  return t === 'crown' ? 'admin or high-value nodes' : t === 'admin' ? 'any admin' : t === 'high-value' ? 'high-value nodes' : t.name;
}

export function PathsPanel() {
  const store = useAppStore();
  const { paths, loading, error, from, target, highlighted, selected } = useApp(
    useShallow((s) => ({ paths: s.paths, loading: s.pathsLoading, error: s.pathsError, from: s.pathFrom, target: s.pathTarget, highlighted: s.highlightedPath, selected: s.details?.node })),
  );
  const s = store.getState();
  return (
    <div className="panel" data-testid="paths-panel">
      <h2>Attack paths</h2>
      <p className="muted small">Shortest routes first; each step is an edge you can select to read its evidence.</p>
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
        {paths.map((p, i) => {
          const last = p.steps[p.steps.length - 1];
          return (
            <li key={i}>
              <button
                type="button"
                className={`path-item${highlighted === i ? ' active' : ''}`}
                data-testid="path-item"
                aria-pressed={highlighted === i}
                onClick={() => s.highlightPath(highlighted === i ? null : i)}
              >
                <div className="path-head">
                  <span className="path-rank">#{i + 1}</span>
                  <span className="path-target">{last?.to.name}</span>
                  <span className="muted small">
                    {p.steps.length} step{p.steps.length === 1 ? '' : 's'}
                    {p.conditional ? ' · conditional' : ''}
                  </span>
                </div>
                <ol className="path-steps">
                  {p.steps.map((st, j) => (
                    <li key={j} className={st.edge.conditional ? 'conditional' : undefined}>
                      {edgeSentence(st.edge, st.from, st.to)}
                    </li>
                  ))}
                </ol>
              </button>
            </li>
          );
        })}
      </ol>
    </div>
  );
}
