import { useShallow } from 'zustand/react/shallow';
import { NodeChip } from '../components/NodeChip';
import { groupDigits } from '../format';
import { useApp, useAppStore } from '../store';
import { Filters } from './Filters';
import { SavedViews } from './SavedViews';

export function ExplorePanel() {
  const store = useAppStore();
  const { drawn, total, truncated, caseInfo, estateShown } = useApp(
    useShallow((s) => ({ drawn: s.drawn, total: Object.keys(s.nodes).length, truncated: s.graphTruncated, caseInfo: s.caseInfo, estateShown: s.estateShown })),
  );
  const s = store.getState();
  return (
    <div className="panel" data-testid="explore-panel">
      <h2>Explore</h2>
      {estateShown && caseInfo && caseInfo.counts.nodes > 0 && <StartPanel />}
      <p className="muted small">Click a node for its details, double-click to expand its neighbours, right-click for more. Boundaries (accounts, clusters, tenants) are the boxes.</p>
      <div className="muted small" data-testid="explore-counts">
        Drawn: {drawn.boxes ? `${groupDigits(drawn.boxes)} boxes, ` : ''}
        {groupDigits(drawn.nodes)} nodes, {groupDigits(drawn.edges)} edges
        {total !== drawn.nodes ? ` (of ${groupDigits(total)} loaded)` : ''}
        {truncated ? ' · limited: more exist' : ''}
      </div>
      <div className="actions">
        <button type="button" onClick={() => void s.loadOverview()} data-testid="load-overview">
          Overview
        </button>
        <button type="button" onClick={() => s.clearGraph()}>
          Clear canvas
        </button>
      </div>
      <SavedViews />
      <Filters />
    </div>
  );
}

/** The first screen's panel: where to start — import, the worst findings, what is known compromised. */
function StartPanel() {
  const store = useAppStore();
  const estate = useApp((s) => s.estate);
  const s = store.getState();
  if (!estate) return null;
  const compromised = estate.marked.filter((n) => n.marks.includes('compromised'));
  const highValue = estate.marked.filter((n) => n.marks.includes('high-value') && !n.marks.includes('compromised'));
  return (
    <div className="start-panel" data-testid="start-panel">
      <p className="small">
        The map of this case: each box is a boundary with what it holds; an arrow between boxes is the trust between them. Start from what leaked, or
        from the worst findings.
      </p>
      <div className="actions">
        <button type="button" className="primary" onClick={() => s.setImportOpen(true)} data-testid="start-import">
          Import exports…
        </button>
        <span className="muted small">or drop files on the window</span>
      </div>
      {compromised.length > 0 && (
        <section data-testid="start-compromised">
          <h3>Compromised ({compromised.length})</h3>
          <ul className="plain start-list">
            {compromised.slice(0, 12).map((n) => (
              <li key={n.id}>
                <NodeChip node={n} onClick={() => void s.focus(n.id)} />
                <button type="button" className="link small" onClick={() => void s.runBlast(n.id)}>
                  blast radius
                </button>
              </li>
            ))}
          </ul>
        </section>
      )}
      {estate.topFindings.length > 0 && (
        <section data-testid="start-findings">
          <h3>Worst findings</h3>
          <ul className="plain start-list">
            {estate.topFindings.slice(0, 6).map((f) => (
              <li key={f.id}>
                <button type="button" className="finding-link" onClick={() => void s.focus(f.nodeId)} title={f.summary}>
                  <span className={`sev sev-${f.severity}`}>{f.severity}</span> {f.title}
                </button>
              </li>
            ))}
          </ul>
        </section>
      )}
      {highValue.length > 0 && (
        <section>
          <h3>High value ({highValue.length})</h3>
          <ul className="plain start-list">
            {highValue.slice(0, 8).map((n) => (
              <li key={n.id}>
                <NodeChip node={n} onClick={() => void s.focus(n.id)} />
              </li>
            ))}
          </ul>
        </section>
      )}
    </div>
  );
}
