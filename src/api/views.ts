import { boundaryOfId } from '../model/ids.js';
import { edgeSpec, NODE_KINDS } from '../model/kinds.js';
import type { Evidence, MarkKind } from '../model/fragment.js';
import type { CaseStore, FindingRow, SourceRow, StoredEdge, StoredNode } from '../store/case-store.js';
import type { EdgeView, Finding, NodeSummary, Severity, SourceInfo, SourceRef } from './contract.js';

/** Converts store rows into the contract's shapes. Marks and sources are looked up once per call site. */
export class Views {
  private marks: Map<string, MarkKind[]> | undefined;
  private sourceRefs: Map<number, SourceRef> | undefined;

  constructor(private readonly store: CaseStore) {}

  invalidate(): void {
    this.marks = undefined;
    this.sourceRefs = undefined;
  }

  marksOf(id: string): MarkKind[] {
    if (!this.marks) {
      this.marks = new Map();
      for (const m of this.store.activeMarks()) {
        const list = this.marks.get(m.nodeId) ?? [];
        if (!list.includes(m.mark)) list.push(m.mark);
        this.marks.set(m.nodeId, list);
      }
    }
    return this.marks.get(id) ?? [];
  }

  markedIds(mark: MarkKind): string[] {
    this.marksOf('');
    return [...this.marks!.entries()].filter(([, list]) => list.includes(mark)).map(([id]) => id);
  }

  summary(n: StoredNode): NodeSummary {
    const spec = NODE_KINDS[n.kind];
    return {
      id: n.id,
      kind: n.kind,
      category: spec.category,
      provider: spec.provider,
      name: n.name,
      // Through the aliases, as the graph index has it: a project named by its number is its id's box.
      ...(n.boundary ? { boundary: this.store.canonical(n.boundary) } : {}),
      stub: n.stub,
      marks: this.marksOf(n.id),
    };
  }

  /** A summary for an id that may have no node row (an edge to something never described). */
  summaryOf(id: string): NodeSummary {
    const n = this.store.node(id);
    if (n) return this.summary(n);
    const boundary = boundaryOfId(id);
    if (boundary) return { id, kind: boundary.kind, category: 'boundary', provider: NODE_KINDS[boundary.kind].provider, name: boundary.name, stub: true, marks: this.marksOf(id) };
    return { id, kind: 'og_object', category: 'resource', provider: 'generic', name: id, stub: true, marks: this.marksOf(id) };
  }

  sourceRef(id: number | null): SourceRef | undefined {
    if (id === null) return undefined;
    if (!this.sourceRefs) this.sourceRefs = new Map(this.store.sources().map((s) => [s.id, { id: s.id, fileName: s.fileName, format: s.format }]));
    return this.sourceRefs.get(id);
  }

  edge(e: StoredEdge): EdgeView {
    const p = e.props;
    const source = this.sourceRef(e.sourceId);
    return {
      id: e.id,
      from: e.src,
      to: e.dst,
      kind: e.kind,
      derived: e.derived,
      observed: edgeSpec(e.kind).origin === 'observed',
      reason: typeof p['reason'] === 'string' ? p['reason'] : edgeSpec(e.kind).description,
      ...(typeof p['technique'] === 'string' ? { technique: p['technique'] } : {}),
      ...(typeof p['conditional'] === 'string' && p['conditional'] ? { conditional: p['conditional'] } : {}),
      ...(typeof p['accessLevel'] === 'string' ? { accessLevel: p['accessLevel'] as EdgeView['accessLevel'] & string } : {}),
      evidence: Array.isArray(p.evidence) ? p.evidence : sourceEvidence(e, source),
      ...(e.firstSeen ? { firstSeen: e.firstSeen } : {}),
      ...(e.lastSeen ? { lastSeen: e.lastSeen } : {}),
      ...(typeof p['count'] === 'number' ? { count: p['count'] } : {}),
      ...(source ? { source } : {}),
      props: p,
    };
  }
}

/** An imported edge without evidence of its own is evidenced by its record in the source file. */
function sourceEvidence(e: StoredEdge, source: SourceRef | undefined): Evidence[] {
  if (!source) return [];
  const what = e.props.technique ? `${e.props.technique} edge` : `${e.kind} edge`;
  return [{ type: 'source-record', summary: `${what} stated by ${source.fileName} (${source.format})`, location: e.props.at ? `${source.fileName} ${e.props.at}` : source.fileName }];
}

export function sourceInfo(s: SourceRow): SourceInfo {
  return { id: s.id, fileName: s.fileName, format: s.format, label: s.label, sha256: s.sha256, importedAt: s.importedAt, counts: s.counts, warnings: s.warnings, ...(Object.keys(s.meta).length ? { meta: s.meta } : {}) };
}

/** A stored finding as the API shows it, with its node's summary when the node is in the case. */
export function findingOf(f: FindingRow, node?: NodeSummary): Finding {
  const { origin, ...rest } = f;
  // The scanner origin is written by src/analysis/scanner-findings.ts in the contract's shape.
  return { ...rest, severity: f.severity as Severity, ...(node ? { node } : {}), ...(origin ? { origin: origin as unknown as NonNullable<Finding['origin']> } : {}) };
}
