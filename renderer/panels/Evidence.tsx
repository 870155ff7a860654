import type { EdgeView, Evidence, NodeSummary } from '../contract';
import { NodeChip } from '../components/NodeChip';
import { edgeSentence, relativeTime } from '../format';

function EvidenceItem({ ev }: { ev: Evidence }) {
  return (
    <li className="evidence">
      <div className="evidence-summary">{ev.summary}</div>
      {ev.location && <div className="evidence-location">{ev.location}</div>}
      {ev.data !== undefined && (
        <details>
          <summary>{ev.type === 'policy-statement' ? 'Statement' : 'Record'}</summary>
          <pre className="json">{JSON.stringify(ev.data, null, 2)}</pre>
        </details>
      )}
    </li>
  );
}

/** One edge in plain words, with why it exists and the statements or records behind it. */
export function EdgeExplanation({ edge, from, to, onNode }: { edge: EdgeView; from: NodeSummary; to: NodeSummary; onNode?: (id: string) => void }) {
  return (
    <div className="edge-explanation" data-testid="edge-explanation">
      <div className="edge-sentence">{edgeSentence(edge, from, to)}</div>
      <div className="edge-ends">
        <NodeChip node={from} {...(onNode ? { onClick: () => onNode(from.id) } : {})} />
        <span className="arrow" aria-hidden="true">
          →
        </span>
        <NodeChip node={to} {...(onNode ? { onClick: () => onNode(to.id) } : {})} />
      </div>
      <div className="badges">
        <span className="badge">{edge.kind}</span>
        {edge.technique && <span className="badge badge-technique">{edge.technique}</span>}
        <span className="badge">{edge.observed ? 'observed' : edge.derived ? 'derived' : 'imported'}</span>
        {edge.accessLevel && <span className="badge badge-access">{edge.accessLevel}</span>}
        {edge.conditional && <span className="badge badge-conditional">conditional</span>}
      </div>
      {edge.reason && <p className="edge-reason">{edge.reason}</p>}
      {edge.conditional && <p className="edge-condition">Only if: {edge.conditional}</p>}
      {edge.observed && (edge.firstSeen || edge.lastSeen) && (
        <p className="edge-observed">
          Seen {edge.count ?? '?'} times{edge.firstSeen ? `, first ${relativeTime(edge.firstSeen)}` : ''}
          {edge.lastSeen ? `, last ${relativeTime(edge.lastSeen)}` : ''}.
        </p>
      )}
      {edge.evidence.length > 0 && <ul className="evidence-list">{edge.evidence.map((ev, i) => <EvidenceItem key={i} ev={ev} />)}</ul>}
      {edge.source && (
        <div className="edge-source">
          Source: {edge.source.fileName} ({edge.source.format})
        </div>
      )}
    </div>
  );
}
