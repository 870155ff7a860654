import { useShallow } from 'zustand/react/shallow';
import type { ContainmentCut, EdgeView } from '../contract';
import { ContainmentExports } from '../components/AnalysisExports';
import { NodeChip } from '../components/NodeChip';
import { edgeLabel, edgeSentence } from '../format';
import { useApp, useAppStore } from '../store';
import { cutKey } from '../store/analysis-slice';
import { edgeKey } from '../store/graph-slice';

/**
 * The containment checklist, as the CLI prints it: each cut with its cost, the paths it closes, the record it
 * removes (its evidence) and what else the same action removes. The boxes are kept in the case; a done cut is
 * struck through on the canvas.
 */
export function ContainmentSection({ origin }: { origin: string }) {
  const store = useAppStore();
  const { plan, error, loading, checks } = useApp(useShallow((s) => ({ plan: s.containment, error: s.containmentError, loading: s.containmentLoading, checks: s.containmentChecks })));
  const done = plan ? plan.cuts.filter((c) => checks[cutKey(c)]).length : 0;
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
      {plan && plan.pathsBefore === 0 && <p className="small">No path to any admin or high-value node: nothing to cut.</p>}
      {plan && plan.pathsBefore > 0 && (
        <>
          <p className="small" data-testid="containment-summary">
            {plan.pathsBefore}
            {plan.pathsBefore >= plan.pathLimit ? '+' : ''} path{plan.pathsBefore === 1 ? '' : 's'} to {plan.targets.length} target{plan.targets.length === 1 ? '' : 's'}; {plan.cuts.length} cut{plan.cuts.length === 1 ? '' : 's'}, cost {plan.cost}.{' '}
            {plan.pathsAfter === 0 ? 'Re-checked: no path left after these cuts.' : `Re-checked: ${plan.pathsAfter} path${plan.pathsAfter === 1 ? '' : 's'} still left.`}
          </p>
          <p className="small" data-testid="containment-progress">
            <strong>
              {done} of {plan.cuts.length}
            </strong>{' '}
            done{done === plan.cuts.length ? ' — every cut is made.' : '.'}
          </p>
          <ol className="checklist" data-testid="containment-checklist">
            {plan.cuts.map((c) => (
              <CutItem key={cutKey(c)} cut={c} done={Boolean(checks[cutKey(c)])} />
            ))}
          </ol>
          <ContainmentExports origin={origin} done={plan.cuts.flatMap((c, i) => (checks[cutKey(c)] ? [i] : []))} />
        </>
      )}
    </div>
  );
}

function CutItem({ cut, done }: { cut: ContainmentCut; done: boolean }) {
  const store = useAppStore();
  const s = store.getState();
  return (
    <li className={done ? 'done' : undefined} data-testid="containment-cut">
      <label className="cut-action">
        <input type="checkbox" checked={done} data-testid="containment-check" onChange={(e) => void s.setCutDone(cut, e.target.checked)} /> <span>{cut.action}</span>
      </label>
      <div className="muted small cut-meta">
        <NodeChip node={cut.from} onClick={() => void s.select(cut.from.id)} /> → <NodeChip node={cut.to} onClick={() => void s.select(cut.to.id)} />
        <span>
          {' '}
          · cost {cut.cost} · on {cut.pathsCut} path{cut.pathsCut === 1 ? '' : 's'}
        </span>
      </div>
      <details className="cut-evidence" data-testid="containment-evidence">
        <summary>
          Removes: {edgeLabel(cut.edge)}
          {cut.alsoRemoves?.length ? `, and ${cut.alsoRemoves.length} more` : ''}
        </summary>
        <EdgeRecord edge={cut.edge} from={cut} />
        {(cut.alsoRemoves ?? []).map((e) => (
          <div key={e.id} className="also-removes" data-testid="containment-also-removes">
            <strong>Also removes</strong> <EdgeRecord edge={e} from={cut} />
          </div>
        ))}
      </details>
    </li>
  );
}

/** One removed edge: its sentence, why it exists, and the records behind it. */
function EdgeRecord({ edge, from }: { edge: EdgeView; from: ContainmentCut }) {
  const store = useAppStore();
  return (
    <div className="edge-record">
      <button type="button" className="link" onClick={() => store.getState().selectEdge(edgeKey(edge.id))} title="Show this edge on the canvas">
        {edgeSentence(edge, from.from, from.to)}
      </button>
      <div className="small">{edge.reason}</div>
      {edge.conditional && <div className="small edge-condition">Only if: {edge.conditional}</div>}
      <ul className="evidence-list">
        {edge.evidence.map((ev, i) => (
          <li key={i} className="evidence">
            <div className="evidence-summary">{ev.summary}</div>
            {ev.location && <div className="evidence-location">{ev.location}</div>}
          </li>
        ))}
        {edge.source && <li className="evidence edge-source">Source: {edge.source.fileName} ({edge.source.format})</li>}
      </ul>
    </div>
  );
}
