import { useShallow } from 'zustand/react/shallow';
import { ContainmentExports } from '../components/AnalysisExports';
import { NodeChip } from '../components/NodeChip';
import { useApp, useAppStore } from '../store';

/** The containment checklist: the cuts that close the paths found, when the analysis provides them. */
export function ContainmentSection({ origin }: { origin: string }) {
  const store = useAppStore();
  const { plan, error, loading } = useApp(useShallow((s) => ({ plan: s.containment, error: s.containmentError, loading: s.containmentLoading })));
  return (
    <div className="section containment" data-testid="containment">
      <h3>Containment</h3>
      {!plan && !error && (
        <button type="button" onClick={() => void store.getState().runContainment(origin)} disabled={loading} data-testid="containment-run">
          {loading ? 'Planning…' : 'Plan containment'}
        </button>
      )}
      {error && (
        <p className="muted" data-testid="containment-unavailable">
          {error}
        </p>
      )}
      {plan && (
        <>
          <p className="small">
            {plan.cuts.length} action{plan.cuts.length === 1 ? ' closes' : 's close'} {plan.pathsBefore - plan.pathsAfter} of {plan.pathsBefore} path{plan.pathsBefore === 1 ? '' : 's'}
            {plan.pathsAfter > 0 ? ` (${plan.pathsAfter} remain)` : ''}.
          </p>
          <ol className="checklist" data-testid="containment-checklist">
            {plan.cuts.map((c, i) => (
              <li key={i}>
                <label>
                  <input type="checkbox" /> <span>{c.action}</span>
                </label>
                <div className="muted small">
                  <NodeChip node={c.from} /> → <NodeChip node={c.to} /> · cuts {c.pathsCut} path{c.pathsCut === 1 ? '' : 's'}
                </div>
              </li>
            ))}
          </ol>
          <ContainmentExports origin={origin} />
        </>
      )}
    </div>
  );
}
