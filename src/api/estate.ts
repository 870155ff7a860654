// The estate overview: the first screen of the explorer. Per boundary (account, cluster, project, tenant) what
// lives in it and how bad its findings are, and the trust between boundaries aggregated per pair — read from the
// graph index in one pass over nodes and one over traversable edges, so it answers at a million edges too.
import type { GraphIndex } from '../analysis/index/graph-index.js';
import { NODE_KINDS, type EdgeKind, type NodeKind } from '../model/kinds.js';
import type { CaseStore } from '../store/case-store.js';
import type { EstateCounts, EstateOverview, EstateTrust, Finding, NodeSummary, Severity } from './contract.js';
import type { Views } from './views.js';

const SEVERITIES: Severity[] = ['critical', 'high', 'medium', 'low', 'info'];

function emptyCounts(): EstateCounts {
  return { nodes: 0, identities: 0, credentials: 0, resources: 0, groups: 0, admins: 0, findings: {} };
}

export interface EstateDeps {
  store: CaseStore;
  views: Views;
  index: GraphIndex;
  /** A node index as the contract's summary (AnalysisViews.summary). */
  summary(v: number): NodeSummary;
  finding(f: ReturnType<CaseStore['findings']>[number]): Finding;
}

export function estateOverview({ store, views, index: ix, summary, finding }: EstateDeps, opts: { markedLimit?: number; findingLimit?: number } = {}): EstateOverview {
  const started = performance.now();
  const n = ix.n;
  const boundaryCategory = new Set(Object.entries(NODE_KINDS).filter(([, s]) => s.category === 'boundary').map(([k]) => k));
  const isBoundary = new Uint8Array(ix.d.nodeKinds.length);
  ix.d.nodeKinds.forEach((k, code) => (isBoundary[code] = boundaryCategory.has(k) ? 1 : 0));
  // The boundary each node is drawn in: a boundary node is its own.
  const home = new Int32Array(n);
  for (let v = 0; v < n; v++) home[v] = isBoundary[ix.d.nodeKind[v]!] ? v : ix.d.boundary[v]!;

  const perBoundary = new Map<number, EstateCounts>();
  const outside = emptyCounts();
  const countsOf = (b: number): EstateCounts => {
    if (b < 0) return outside;
    let c = perBoundary.get(b);
    if (!c) perBoundary.set(b, (c = emptyCounts()));
    return c;
  };
  for (let v = 0; v < n; v++) {
    const kind = ix.kindOf(v);
    if (!kind) continue;
    const cat = NODE_KINDS[kind].category;
    const c = countsOf(home[v]!);
    if (cat === 'boundary' && home[v] === v) {
      // The boundary node itself is the box, not a member of it.
      continue;
    }
    c.nodes++;
    if (cat === 'identity') c.identities++;
    else if (cat === 'credential') c.credentials++;
    else if (cat === 'resource') c.resources++;
    else if (cat === 'group') c.groups++;
  }

  // Who holds admin of each boundary (direct ADMIN_OF into its admin node), and the trust between boundaries.
  const adminOf = ix.d.edgeKinds.indexOf('ADMIN_OF');
  const admins = new Map<number, Set<number>>();
  const trust = new Map<string, { from: number; to: number; edges: number; sources: Set<number>; targets: Set<number>; targetKinds: Map<string, number>; edgeKinds: Map<string, number>; conditional: number; observed: number }>();
  const { offsets, targets, edgeKind, edgeFlags } = ix.d;
  for (let u = 0; u < n; u++) {
    const hu = home[u]!;
    for (let e = offsets[u]!, end = offsets[u + 1]!; e < end; e++) {
      const v = targets[e]!;
      if (edgeKind[e] === adminOf && ix.d.nodeKind[v] === ix.adminKind) {
        const b = home[v]!;
        let set = admins.get(b);
        if (!set) admins.set(b, (set = new Set()));
        set.add(u);
      }
      const hv = home[v]!;
      if (hu === hv) continue;
      const key = `${hu}>${hv}`;
      let t = trust.get(key);
      if (!t) trust.set(key, (t = { from: hu, to: hv, edges: 0, sources: new Set(), targets: new Set(), targetKinds: new Map(), edgeKinds: new Map(), conditional: 0, observed: 0 }));
      t.edges++;
      t.sources.add(u);
      if (!t.targets.has(v)) {
        t.targets.add(v);
        const k = ix.kindOf(v) ?? 'unknown';
        t.targetKinds.set(k, (t.targetKinds.get(k) ?? 0) + 1);
      }
      const ek = ix.d.edgeKinds[edgeKind[e]!]!;
      t.edgeKinds.set(ek, (t.edgeKinds.get(ek) ?? 0) + 1);
      if (edgeFlags[e]! & 1) t.conditional++;
      if (edgeKind[e] === ix.observedKind) t.observed++;
    }
  }
  for (const [b, set] of admins) countsOf(b).admins = set.size;

  const findings = store.findings();
  for (const f of findings) {
    const v = ix.indexOf(store.canonical(f.nodeId));
    const c = countsOf(v < 0 ? -1 : home[v]!);
    const sev = f.severity as Severity;
    c.findings[sev] = (c.findings[sev] ?? 0) + 1;
  }
  const topFindings = findings
    .slice()
    .sort((a, b) => SEVERITIES.indexOf(a.severity as Severity) - SEVERITIES.indexOf(b.severity as Severity) || a.title.localeCompare(b.title))
    .slice(0, opts.findingLimit ?? 8)
    .map(finding);

  const markedLimit = opts.markedLimit ?? 200;
  const marked: NodeSummary[] = [];
  const seen = new Set<string>();
  for (const m of store.activeMarks()) {
    if (seen.has(m.nodeId)) continue;
    seen.add(m.nodeId);
    if (marked.length >= markedLimit) break;
    const v = ix.indexOf(m.nodeId);
    marked.push(v >= 0 ? summary(v) : views.summaryOf(m.nodeId));
  }

  const boundaryList = [...perBoundary.entries()]
    .map(([b, counts]) => ({ boundary: summary(b), ...counts }))
    .sort((a, b) => b.nodes - a.nodes || a.boundary.name.localeCompare(b.boundary.name));
  const idOf = (b: number) => (b < 0 ? null : ix.id(b));
  const trustList: EstateTrust[] = [...trust.values()]
    .map((t) => ({
      from: idOf(t.from),
      to: idOf(t.to),
      edges: t.edges,
      sources: t.sources.size,
      targets: t.targets.size,
      targetKinds: Object.fromEntries(t.targetKinds) as Partial<Record<NodeKind, number>>,
      edgeKinds: Object.fromEntries(t.edgeKinds) as Partial<Record<EdgeKind, number>>,
      conditional: t.conditional,
      observed: t.observed,
    }))
    .sort((a, b) => b.edges - a.edges || String(a.from).localeCompare(String(b.from)) || String(a.to).localeCompare(String(b.to)));
  return { boundaries: boundaryList, outside, trust: trustList, marked, topFindings, elapsedMs: performance.now() - started };
}
