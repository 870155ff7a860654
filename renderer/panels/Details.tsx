import { useEffect, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { EdgeView, Json, NodeDetails, NodeSummary } from '../contract';
import { NodeChip } from '../components/NodeChip';
import { age, boundaryLabel, kindLabel, lastUsed, propText, withBoundaryProvider } from '../format';
import { useApp, useAppStore, type AppState } from '../store';
import { EdgeExplanation } from './Evidence';
import { ReachersButton, ReachersSection } from './Reachers';

const CREDENTIAL_PROPS = ['status', 'active', 'createdAt', 'lastUsedAt', 'lastRotatedAt', 'expiresAt', 'managedBy', 'owner'];

export function DetailsPanel() {
  const { selectedId, selectedEdge, details, loading, error } = useApp(
    useShallow((s) => ({ selectedId: s.selectedId, selectedEdge: s.selectedEdge, details: s.details, loading: s.detailsLoading, error: s.detailsError })),
  );
  let body;
  if (selectedEdge) body = <EdgeDetails edgeKey={selectedEdge} />;
  else if (!selectedId) body = <p className="muted">Select a node or an edge to see what it is, where it came from and why each edge exists.</p>;
  else if (error) body = <p className="error-text">{error}</p>;
  else if (!details || details.node.id !== selectedId) body = <p className="muted">{loading ? 'Loading…' : ''}</p>;
  else body = <NodeDetailsView details={details} />;
  return (
    <aside className="details" data-testid="details-panel" aria-label="Details">
      {body}
    </aside>
  );
}

/** An edge's end as the panels know it: on the canvas, or named by a containment cut or a path step. */
function endpoint(s: AppState, id: string): NodeSummary | undefined {
  if (s.nodes[id]) return s.nodes[id];
  for (const c of s.containment?.cuts ?? []) for (const n of [c.from, c.to]) if (n.id === id) return n;
  for (const p of s.paths) for (const st of p.steps) for (const n of [st.from, st.to]) if (n.id === id) return n;
  return undefined;
}

function EdgeDetails({ edgeKey }: { edgeKey: string }) {
  const { view, edge, from, to } = useApp(
    useShallow((s) => {
      const v = s.edgeViews[edgeKey] as EdgeView | undefined;
      const e = s.edges[edgeKey];
      const ends = v ?? e;
      return { view: v, edge: e, from: ends ? endpoint(s, ends.from) : undefined, to: ends ? endpoint(s, ends.to) : undefined };
    }),
  );
  const select = useApp((s) => s.select);
  if (!edge && !view) return <p className="muted">This edge is no longer on the canvas.</p>;
  if (!from || !to) return null;
  if (!view) {
    return (
      <div data-testid="edge-details">
        <h2>Reached</h2>
        <p>
          {to.name} is reached from {from.name} on the route the blast radius used. Select either end to see the edges between them with their
          evidence.
        </p>
      </div>
    );
  }
  return (
    <div data-testid="edge-details">
      <h2>Edge</h2>
      <EdgeExplanation edge={view} from={from} to={to} onNode={(id) => void select(id)} />
    </div>
  );
}

function NodeDetailsView({ details }: { details: NodeDetails }) {
  const store = useAppStore();
  const s = store.getState();
  const { node } = details;
  const boundary = useApp((st) => (node.boundary ? st.nodes[node.boundary] : undefined));
  const marked = (m: 'compromised' | 'high-value') => details.marks.some((x) => x.mark === m);
  const credentials = details.in.filter((x) => x.other.category === 'credential');
  return (
    <div className="node-details">
      <div className={`kind-line kind-${node.category}`}>
        {kindLabel(node.kind)} · {withBoundaryProvider(node).provider}
        {node.stub && <span className="badge" title="Only referenced by another object; no source describes it">reference only</span>}
      </div>
      <h2 className="details-name" data-testid="details-name">
        {node.name}
      </h2>
      {node.boundary && <div className="muted small">in {boundary?.name ?? boundaryLabel(node.boundary)}</div>}
      <div className="mark-buttons">
        <button type="button" className={`toggle${marked('compromised') ? ' on compromised' : ''}`} aria-pressed={marked('compromised')} data-testid="mark-compromised" onClick={() => void s.setMark('compromised', !marked('compromised'))}>
          {marked('compromised') ? 'Compromised ✓' : 'Mark compromised'}
        </button>
        <button type="button" className={`toggle${marked('high-value') ? ' on high-value' : ''}`} aria-pressed={marked('high-value')} data-testid="mark-high-value" onClick={() => void s.setMark('high-value', !marked('high-value'))}>
          {marked('high-value') ? 'High value ✓' : 'Mark high value'}
        </button>
      </div>
      <div className="actions">
        <button type="button" className="primary" data-testid="action-blast" onClick={() => void s.runBlast(node.id)}>
          Blast radius
        </button>
        <button type="button" data-testid="action-paths" onClick={() => void s.runPaths(node.id, 'crown')}>
          Paths to admin
        </button>
        <button type="button" data-testid="action-expand" onClick={() => void s.expand(node.id)}>
          Expand
        </button>
        <button type="button" data-testid="action-collapse" onClick={() => s.collapse(node.id)}>
          Collapse
        </button>
        <ReachersButton nodeId={node.id} />
      </div>
      <ReachersSection nodeId={node.id} />
      {details.marks.length > 0 && (
        <Section title="Marks" count={details.marks.length}>
          <ul className="plain">
            {details.marks.map((m) => (
              <li key={m.mark}>
                <strong>{m.mark}</strong> by {m.by} at {m.at.slice(0, 16).replace('T', ' ')}
                {m.note && <div className="muted">{m.note}</div>}
              </li>
            ))}
          </ul>
        </Section>
      )}
      {node.category === 'credential' && <CredentialFacts props={details.props} />}
      {credentials.length > 0 && (
        <Section title="Credentials" count={credentials.length} testId="details-credentials">
          <ul className="plain">
            {credentials.map((c) => (
              <CredentialRow key={c.edge.id} node={c.other} />
            ))}
          </ul>
        </Section>
      )}
      {details.findings.length > 0 && (
        <Section title="Findings" count={details.findings.length}>
          <ul className="plain">
            {details.findings.map((f) => (
              <li key={f.id}>
                <span className={`sev sev-${f.severity}`}>{f.severity}</span> {f.title}
                <div className="muted small">{f.summary}</div>
              </li>
            ))}
          </ul>
        </Section>
      )}
      <Section title="Handles" count={details.handles.length}>
        <ul className="plain mono">
          {details.handles.map((h) => (
            <li key={h}>{h}</li>
          ))}
        </ul>
      </Section>
      <Section title="Properties" count={Object.keys(details.props).length} testId="details-properties">
        <PropTable props={details.props} />
      </Section>
      <Section title="Sources" count={details.sources.length}>
        <ul className="plain">
          {details.sources.map((src) => (
            <li key={src.id}>
              {src.fileName} <span className="muted">({src.format})</span>
            </li>
          ))}
          {details.sources.length === 0 && <li className="muted">Made by analysis, or only referenced.</li>}
        </ul>
      </Section>
      <EdgeList title="Gives access to" items={details.out} dir="out" />
      <EdgeList title="Reached from" items={details.in} dir="in" />
      {details.truncated && <p className="muted small">More edges exist than are listed here.</p>}
    </div>
  );
}

function Section({ title, count, children, testId, open = true }: { title: string; count?: number; children: React.ReactNode; testId?: string; open?: boolean }) {
  return (
    <details className="section" open={open} data-testid={testId}>
      <summary>
        {title}
        {count !== undefined && <span className="count">{count}</span>}
      </summary>
      {children}
    </details>
  );
}

function PropTable({ props }: { props: Record<string, Json> }) {
  const entries = Object.entries(props);
  if (entries.length === 0) return <p className="muted">None.</p>;
  return (
    <table className="props">
      <tbody>
        {entries.map(([k, v]) => (
          <tr key={k}>
            <th scope="row">{k}</th>
            <td>
              {v !== null && typeof v === 'object' ? (
                <details>
                  <summary>{Array.isArray(v) ? `${v.length} items` : `${Object.keys(v).length} fields`}</summary>
                  <pre className="json">{JSON.stringify(v, null, 2)}</pre>
                </details>
              ) : (
                propText(v)
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function CredentialFacts({ props }: { props: Record<string, Json> }) {
  return (
    <div className="credential-facts" data-testid="credential-facts">
      <div>{age(props['createdAt'])}</div>
      <div>{lastUsed(props['lastUsedAt'])}</div>
      {typeof props['status'] === 'string' && <div>status {props['status']}</div>}
      {props['expiresAt'] !== undefined && <div>{props['expiresAt'] === null ? 'never expires' : `expires ${String(props['expiresAt']).slice(0, 10)}`}</div>}
    </div>
  );
}

function CredentialRow({ node }: { node: NodeSummary }) {
  const store = useAppStore();
  const [props, setProps] = useState<Record<string, Json> | null>(null);
  useEffect(() => {
    let live = true;
    store
      .getState()
      .fetchDetails(node.id)
      .then(
        (d) => live && setProps(Object.fromEntries(Object.entries(d.props).filter(([k]) => CREDENTIAL_PROPS.includes(k)))),
        () => live && setProps({}),
      );
    return () => {
      live = false;
    };
  }, [node.id, store]);
  return (
    <li className="credential-row">
      <NodeChip node={node} onClick={() => void store.getState().select(node.id)} />
      <div className="muted small">{props ? `${age(props['createdAt'])} · ${lastUsed(props['lastUsedAt'])}${typeof props['status'] === 'string' ? ` · ${props['status']}` : ''}` : '…'}</div>
    </li>
  );
}

function EdgeList({ title, items, dir }: { title: string; items: NodeDetails['out']; dir: 'out' | 'in' }) {
  const store = useAppStore();
  const self = useApp((s) => s.details?.node);
  if (!self) return null;
  return (
    <Section title={title} count={items.length} testId={`details-edges-${dir}`} open={items.length <= 12}>
      {items.length === 0 && <p className="muted">None.</p>}
      <ul className="plain edge-items">
        {items.map(({ edge, other }) => (
          <li key={edge.id}>
            <EdgeExplanation edge={edge} from={dir === 'out' ? self : other} to={dir === 'out' ? other : self} onNode={(id) => void store.getState().focus(id)} />
          </li>
        ))}
      </ul>
    </Section>
  );
}
