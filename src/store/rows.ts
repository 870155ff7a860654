import type { JsonObject, MarkKind, NodeFact } from '../model/fragment.js';
import type { NodeKind } from '../model/kinds.js';
import type { MarkRow, StoredNode } from './types.js';

/** Rows as SQLite returns them, before parsing. */
export interface NodeRowRaw { id: string; kind: string; name: string; stub: number; boundary: string | null; handles: string; props: string; sources: string }
export interface EdgeRowRaw { id: number; src: string; dst: string; kind: string; source_id: number | null; derived: number; conditional: number; first_seen: string | null; last_seen: string | null; props: string; evidence: string | null }
export interface FactRowRaw { node_id: string; source_id: number; kind: string; name: string; stub: number; boundary: string | null; handles: string; props: string }

export function toNode(r: NodeRowRaw): StoredNode {
  return {
    id: r.id,
    kind: r.kind as NodeKind,
    name: r.name,
    stub: r.stub === 1,
    boundary: r.boundary,
    handles: r.handles ? r.handles.split('\n') : [],
    props: JSON.parse(r.props) as JsonObject,
    sources: JSON.parse(r.sources) as number[],
  };
}

export function toMark(r: Record<string, unknown>): MarkRow {
  return {
    id: r['id'] as number,
    nodeId: r['node_id'] as string,
    mark: r['mark'] as MarkKind,
    note: r['note'] as string,
    by: r['by'] as string,
    at: r['at'] as string,
    sourceId: (r['source_id'] as number | null) ?? null,
  };
}

/** Two statements of one node in the same fragment: a full description wins over a stub, the later over the earlier. */
export function mergeFacts(a: NodeFact, b: NodeFact): NodeFact {
  const full = a.stub && !b.stub ? b : !a.stub && b.stub ? a : b;
  return {
    ...full,
    stub: Boolean(a.stub && b.stub),
    boundary: full.boundary ?? a.boundary ?? b.boundary,
    handles: [...new Set([...(a.handles ?? []), ...(b.handles ?? [])])],
    props: a.stub && !b.stub ? { ...(a.props ?? {}), ...(b.props ?? {}) } : !a.stub && b.stub ? { ...(b.props ?? {}), ...(a.props ?? {}) } : { ...(a.props ?? {}), ...(b.props ?? {}) },
  };
}

export function uniqueHandles(n: NodeFact): string[] {
  const set = new Set<string>([n.id]);
  for (const h of n.handles ?? []) if (h) set.add(h);
  return [...set];
}

/** Shared evidence pieces are handed to every edge that cites them: nobody may change one under the others. */
export function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}
