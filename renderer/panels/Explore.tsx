import { useShallow } from 'zustand/react/shallow';
import { useApp, useAppStore } from '../store';
import { Filters } from './Filters';

export function ExplorePanel() {
  const store = useAppStore();
  const { nodeCount, edgeCount, truncated, caseInfo } = useApp(
    useShallow((s) => ({ nodeCount: Object.keys(s.nodes).length, edgeCount: Object.keys(s.edges).length, truncated: s.graphTruncated, caseInfo: s.caseInfo })),
  );
  const s = store.getState();
  return (
    <div className="panel" data-testid="explore-panel">
      <h2>Explore</h2>
      <p className="muted small">
        Click a node for its details, double-click to expand its neighbours. Boundaries (accounts, clusters, tenants) are the boxes.
      </p>
      <div className="muted small" data-testid="explore-counts">
        On the canvas: {nodeCount.toLocaleString('en-US')} nodes, {edgeCount.toLocaleString('en-US')} edges
        {truncated ? ' (limited: more exist)' : ''}
      </div>
      <div className="actions">
        <button type="button" onClick={() => void s.loadOverview()} data-testid="load-overview">
          Overview
        </button>
        <button type="button" onClick={() => s.clearGraph()}>
          Clear canvas
        </button>
      </div>
      {caseInfo && caseInfo.sources.length === 0 && (
        <p>
          This case is empty.{' '}
          <button type="button" className="link" onClick={() => s.setImportOpen(true)}>
            Import exports
          </button>{' '}
          to begin.
        </p>
      )}
      <Filters />
    </div>
  );
}
