import type { EdgeFact, GraphFragment, Json, JsonObject, MarkRequest, NodeFact } from '../model/fragment.js';
import { ids } from '../model/ids.js';
import type { NodeKind } from '../model/kinds.js';
import { ImportError, jsonPath } from './errors.js';
import type { Importer } from './types.js';

// BloodHound OpenGraph: {metadata?: {source_kind}, graph: {nodes: [{id, kinds, properties}],
// edges: [{kind, start: {value, match_by?, kind?}, end: {…}, properties?}]}}.
// Arrays can hold a million edges, so validation is a plain loop rather than a schema library:
// it reports the same JSON path a schema would, at a fraction of the cost.

type Endpoint = { value: string; matchBy: 'id' | 'name'; kind?: string };

export const opengraph: Importer = {
  format: 'bloodhound-opengraph',
  title: 'BloodHound OpenGraph JSON',
  provider: 'opengraph',
  producedBy: 'any OpenGraph collector (BloodHound CE extensions, GitHound, MSSQLHound, …)',
  emits: ['MEMBER_OF', 'OPENGRAPH_EDGE'],
  detect(probe) {
    if (!probe.looksJson) return 0;
    const graph = /"graph"\s*:\s*\{/.test(probe.head);
    const shape = /"nodes"\s*:\s*\[/.test(probe.head) || /"edges"\s*:\s*\[/.test(probe.head);
    if (graph && shape) return /"kinds"\s*:/.test(probe.head) || /"match_by"/.test(probe.head) ? 0.95 : 0.8;
    return 0;
  },
  parse(input) {
    const file = input.fileName;
    const root = input.json();
    if (!isObject(root)) throw new ImportError(file, 'expected a JSON object with a "graph" member', '$');
    const graph = root['graph'];
    if (!isObject(graph)) throw new ImportError(file, 'expected "graph" to be an object with "nodes" and "edges"', '$.graph');
    const metadata = isObject(root['metadata']) ? root['metadata'] : undefined;
    const sourceKind = typeof metadata?.['source_kind'] === 'string' ? metadata['source_kind'] : undefined;
    const rawNodes = graph['nodes'] ?? [];
    const rawEdges = graph['edges'] ?? [];
    if (!Array.isArray(rawNodes)) throw new ImportError(file, 'expected an array', '$.graph.nodes');
    if (!Array.isArray(rawEdges)) throw new ImportError(file, 'expected an array', '$.graph.edges');

    const fragment: GraphFragment = { nodes: [], edges: [], warnings: [], marks: [] };
    const known = new Set<string>();
    const byName = new Map<string, string[]>();
    rawNodes.forEach((raw: unknown, i) => {
      const where = jsonPath('graph', 'nodes', i);
      if (!isObject(raw)) throw new ImportError(file, 'expected a node object', where);
      const id = raw['id'];
      if (typeof id !== 'string' && typeof id !== 'number') throw new ImportError(file, 'a node needs a string "id"', `${where}.id`);
      const kinds = raw['kinds'];
      if (!Array.isArray(kinds) || kinds.length === 0 || !kinds.every((k) => typeof k === 'string')) {
        throw new ImportError(file, 'a node needs "kinds": a non-empty array of strings', `${where}.kinds`);
      }
      const props = raw['properties'] === undefined ? {} : raw['properties'];
      if (!isObject(props)) throw new ImportError(file, 'expected "properties" to be an object', `${where}.properties`);
      const nodeId = ids.opengraph(String(id));
      const name = firstString(props, ['name', 'displayname', 'objectid']) ?? String(id);
      const node: NodeFact = {
        id: nodeId,
        kind: mapNodeKind(kinds as string[]),
        name,
        handles: handlesOf(String(id), props),
        props: { ...(props as JsonObject), kinds: kinds as string[], ...(sourceKind ? { source_kind: sourceKind } : {}) },
      };
      fragment.nodes.push(node);
      known.add(nodeId);
      for (const key of [props['name'], props['displayname']]) {
        if (typeof key !== 'string') continue;
        const lower = key.toLowerCase();
        const list = byName.get(lower) ?? [];
        list.push(nodeId);
        byName.set(lower, list);
      }
      if ((kinds as string[]).some((k) => /highvalue|tierzero|tier_zero/i.test(k)) || props['highvalue'] === true || props['isTierZero'] === true) {
        fragment.marks!.push({ nodeId, mark: 'high-value', note: `declared high value by the OpenGraph source (kinds: ${(kinds as string[]).join(', ')})` } satisfies MarkRequest);
      }
    });

    rawEdges.forEach((raw: unknown, i) => {
      const where = jsonPath('graph', 'edges', i);
      if (!isObject(raw)) throw new ImportError(file, 'expected an edge object', where);
      const kind = raw['kind'];
      if (typeof kind !== 'string' || !kind) throw new ImportError(file, 'an edge needs a string "kind"', `${where}.kind`);
      const start = endpoint(file, raw['start'], `${where}.start`);
      const end = endpoint(file, raw['end'], `${where}.end`);
      const from = resolve(start, known, byName, fragment, `${where}.start`);
      const to = resolve(end, known, byName, fragment, `${where}.end`);
      if (!from || !to) return;
      const props = isObject(raw['properties']) ? (raw['properties'] as JsonObject) : {};
      const edge: EdgeFact = {
        from,
        to,
        kind: /(^|_)MemberOf$/i.test(kind) ? 'MEMBER_OF' : 'OPENGRAPH_EDGE',
        props: {
          ...props,
          ogKind: kind,
          reason: `${kind} (declared by ${sourceKind ? `the ${sourceKind} OpenGraph source` : 'an OpenGraph source'})`,
          technique: kind,
          evidence: [{ type: 'opengraph-edge', summary: `OpenGraph edge ${kind} from ${start.value} to ${end.value}`, location: `${file} ${where}`, data: raw as Json }],
        },
      };
      fragment.edges.push(edge);
    });
    return fragment;
  },
};

function endpoint(file: string, raw: unknown, where: string): Endpoint {
  if (!isObject(raw)) throw new ImportError(file, 'an edge end needs {"value": …, "match_by": "id" | "name"}', where);
  const value = raw['value'];
  if (typeof value !== 'string' && typeof value !== 'number') throw new ImportError(file, 'an edge end needs a "value"', `${where}.value`);
  const matchBy = raw['match_by'] ?? 'id';
  if (matchBy !== 'id' && matchBy !== 'name') throw new ImportError(file, `"match_by" must be "id" or "name", not ${JSON.stringify(matchBy)}`, `${where}.match_by`);
  const kind = typeof raw['kind'] === 'string' ? raw['kind'] : undefined;
  return { value: String(value), matchBy, ...(kind ? { kind } : {}) };
}

/** An id endpoint may name a node from another file (a stub here); a name endpoint must match this file. */
function resolve(end: Endpoint, known: Set<string>, byName: Map<string, string[]>, fragment: GraphFragment, where: string): string | undefined {
  if (end.matchBy === 'id') {
    const id = ids.opengraph(end.value);
    if (!known.has(id)) {
      known.add(id);
      fragment.nodes.push({ id, kind: end.kind ? mapNodeKind([end.kind]) : 'og_object', name: end.value, handles: [end.value], stub: true });
    }
    return id;
  }
  const matches = byName.get(end.value.toLowerCase()) ?? [];
  const filtered = end.kind ? matches.filter((id) => fragment.nodes.find((n) => n.id === id)?.props?.['kinds']?.toString().includes(end.kind!)) : matches;
  if (filtered.length === 1) return filtered[0];
  fragment.warnings.push({
    message: filtered.length === 0 ? `edge skipped: no node named ${JSON.stringify(end.value)}` : `edge skipped: ${filtered.length} nodes are named ${JSON.stringify(end.value)}`,
    location: where,
  });
  return undefined;
}

function mapNodeKind(kinds: string[]): NodeKind {
  const names = kinds.map((k) => k.replace(/^[A-Za-z0-9]+_/, ''));
  if (names.some((k) => /^(Domain|Tenant|Forest|Environment|Organization|Subscription|Project)$/i.test(k))) return 'og_boundary';
  if (names.some((k) => /Group|Team/i.test(k))) return 'og_group';
  if (names.some((k) => /User|Person|Account|Principal|Identity|App|Bot|Computer|Login/i.test(k))) return 'og_identity';
  return 'og_object';
}

function handlesOf(id: string, props: Record<string, unknown>): string[] {
  const out = [id];
  for (const key of ['name', 'displayname', 'objectid', 'email', 'userprincipalname', 'arn']) {
    const v = props[key];
    if (typeof v === 'string' && v && !out.includes(v)) out.push(v);
  }
  return out;
}

function firstString(obj: Record<string, unknown>, keys: string[]): string | undefined {
  for (const key of keys) {
    const v = obj[key];
    if (typeof v === 'string' && v) return v;
  }
  return undefined;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
