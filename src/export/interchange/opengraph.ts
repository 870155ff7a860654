// BloodHound OpenGraph JSON: {metadata: {source_kind}, graph: {nodes: [{id, kinds, properties}], edges: [{kind, start,
// end, properties}]}}, as BloodHound CE's generic ingest schema accepts it (test/fixtures/bloodhound/opengraph-schema):
// at most 3 kinds per node; edge kinds of letters, digits and underscores; property names of 1–128 lowercase
// letters, digits, '_' or '-' ('objectid' is BloodHound's own); values strings, numbers, booleans or homogeneous
// arrays of them. Blastmap's kinds are prefixed BM_ so they never collide with AD or Azure kinds; a node's first kind
// is its own kind, its second its category (which BloodHound's and Blastmap's OpenGraph importers both read).
// Nested values become JSON strings, so nothing is lost.
import type { EdgeView, Json, JsonObject } from '../../api/contract.js';
import { NODE_KINDS } from '../../model/kinds.js';
import type { TextSink } from '../sink.js';
import { pascalCase, snakeCase, type GraphNode, type GraphSource } from './graph-source.js';

export const SOURCE_KIND = 'Blastmap';
export const KIND_PREFIX = 'BM_';

/** The second kind, by category: names both importers map (Environment is a boundary, Group a group, Identity an identity). */
const CATEGORY_KIND: Record<string, string> = {
  identity: 'Identity',
  credential: 'Credential',
  resource: 'Resource',
  group: 'Group',
  boundary: 'Environment',
  admin: 'Admin',
  evidence: 'Evidence',
};

const EDGE_KIND = /^[A-Za-z0-9_]+$/;
const RESERVED_KIND = /^tag(?:_|$)/i;

type Prop = string | number | boolean | string[] | number[] | boolean[];

/** A property value as OpenGraph accepts it, or undefined to leave it out (null). */
export function flatValue(v: Json): Prop | undefined {
  if (v === null) return undefined;
  if (typeof v === 'string' || typeof v === 'boolean') return v;
  if (typeof v === 'number') return Number.isFinite(v) ? v : String(v);
  if (Array.isArray(v)) {
    if (v.every((x) => typeof x === 'string')) return v as string[];
    if (v.every((x) => typeof x === 'number' && Number.isFinite(x))) return v as number[];
    if (v.every((x) => typeof x === 'boolean')) return v as boolean[];
  }
  return JSON.stringify(v);
}

/** Properties flattened: names made strict, values made flat; `reserved` names are Blastmap's own and win. */
export function flatProps(props: JsonObject, skip: ReadonlySet<string> = new Set()): Record<string, Prop> {
  const out: Record<string, Prop> = {};
  for (const [k, v] of Object.entries(props)) {
    if (skip.has(k)) continue;
    let name = snakeCase(k);
    if (!name) continue;
    if (name === 'objectid') name = 'source_objectid';
    const value = flatValue(v);
    if (value !== undefined && !(name in out)) out[name] = value;
  }
  return out;
}

export function nodeKinds(n: GraphNode): string[] {
  const own = n.props['kinds'];
  // Nodes that came from OpenGraph keep the kinds their source gave them.
  if (n.summary.kind.startsWith('og_') && Array.isArray(own)) {
    const kinds = own.filter((k): k is string => typeof k === 'string' && k.length > 0 && !RESERVED_KIND.test(k)).slice(0, 3);
    if (kinds.length) return kinds;
  }
  return [`${KIND_PREFIX}${pascalCase(n.summary.kind)}`, `${KIND_PREFIX}${CATEGORY_KIND[n.summary.category] ?? 'Object'}`];
}

export function edgeKind(e: EdgeView): string {
  if (e.kind === 'OPENGRAPH_EDGE' && e.technique && EDGE_KIND.test(e.technique) && !RESERVED_KIND.test(e.technique)) return e.technique;
  return `${KIND_PREFIX}${pascalCase(e.kind)}`;
}

const SKIP_NODE_PROPS = new Set(['kinds', 'source_kind']);

export function openGraphNode(n: GraphNode): { id: string; kinds: string[]; properties: Record<string, Prop> } {
  const s = n.summary;
  // Blastmap's own properties are written over the source's (one object, no spread: this runs per node).
  const properties = flatProps(n.props, SKIP_NODE_PROPS);
  properties['name'] = s.name;
  properties['blastmap_id'] = s.id;
  properties['blastmap_kind'] = s.kind;
  properties['blastmap_kind_label'] = NODE_KINDS[s.kind]?.label ?? s.kind;
  properties['category'] = s.category;
  properties['provider'] = s.provider;
  properties['stub'] = s.stub;
  properties['marks'] = s.marks;
  if (s.boundary) properties['boundary'] = s.boundary;
  if (s.marks.includes('high-value')) properties['highvalue'] = true;
  if (s.marks.includes('compromised')) properties['compromised'] = true;
  if (n.handles.length) properties['handles'] = n.handles;
  return { id: s.id, kinds: nodeKinds(n), properties };
}

export function openGraphEdge(e: EdgeView): { kind: string; start: { value: string; match_by: 'id' }; end: { value: string; match_by: 'id' }; properties: Record<string, Prop> } {
  const properties: Record<string, Prop> = { blastmap_kind: e.kind, blastmap_edge_id: e.id, reason: e.reason, derived: e.derived, observed: e.observed };
  if (e.technique) properties['bm_technique'] = e.technique;
  if (e.conditional) properties['conditional'] = e.conditional;
  if (e.accessLevel) properties['access_level'] = e.accessLevel;
  if (e.firstSeen) properties['first_seen'] = e.firstSeen;
  if (e.lastSeen) properties['last_seen'] = e.lastSeen;
  if (e.count !== undefined) properties['count'] = e.count;
  if (e.source) properties['source'] = e.source.fileName;
  const actions = e.props.actions;
  if (Array.isArray(actions) && actions.every((a) => typeof a === 'string')) properties['actions'] = actions;
  if (e.evidence.length) properties['evidence'] = e.evidence.slice(0, 20).map((ev) => (ev.location ? `${ev.summary} (${ev.location})` : ev.summary));
  return { kind: edgeKind(e), start: { value: e.from, match_by: 'id' }, end: { value: e.to, match_by: 'id' }, properties };
}

/** Streams the whole graph as one OpenGraph JSON document. */
export function writeOpenGraph(graph: GraphSource, sink: TextSink): { nodes: number; edges: number } {
  sink.write(`{"metadata":{"source_kind":${JSON.stringify(SOURCE_KIND)}},"graph":{"nodes":[`);
  let nodes = 0;
  for (const n of graph.nodes()) sink.write(`${nodes++ ? ',' : ''}\n${JSON.stringify(openGraphNode(n))}`);
  sink.write('\n],"edges":[');
  let edges = 0;
  for (const e of graph.edges()) sink.write(`${edges++ ? ',' : ''}\n${JSON.stringify(openGraphEdge(e))}`);
  sink.write('\n]}}\n');
  return { nodes, edges };
}
