import { isObject } from '../model/fragment.js';
import type { GraphFragment, JsonObject, MarkRequest, NodeFact } from '../model/fragment.js';
import { ids } from '../model/ids.js';
import type { NodeKind } from '../model/kinds.js';
import { ImportError, jsonPath, shown } from './errors.js';
import type { JsonPathParts, StreamChoice } from './json-stream.js';
import { errorFrom, startEdgeWorker, type EdgeWorker } from './opengraph-edge-worker.js';
import type { ImportInput, Importer } from './types.js';

// BloodHound OpenGraph: {metadata?: {source_kind}, graph: {nodes: [{id, kinds, properties}],
// edges: [{kind, start: {value, match_by?, kind?}, end: {…}, properties?}]}}.
// Arrays can hold a million edges, so validation is a plain loop rather than a schema library: it reports
// the same JSON path a schema would, at a fraction of the cost, and builds paths only when reporting.

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
    // A large file is streamed (two passes: the nodes, then the edges); memory holds the graph, not the file.
    return input.large ? streamed(input) : fromDocument(input.fileName, input.json());
  },
};

/** What reading a file gathers as it goes: nodes (kept: edges may name them), and the chunk of edges being filled. */
class GraphReader {
  readonly nodes: GraphFragment = { nodes: [], edges: [], warnings: [], marks: [] };
  // Raw ids as the file spells them → the node id made once: every edge naming a node hands on that one string,
  // whose hash is then computed once however many maps see it (a million edges name each node five times).
  private readonly known = new Map<string, string>();
  // Edge kinds repeat: each is mapped once.
  private readonly kinds = new Map<string, 'MEMBER_OF' | 'OPENGRAPH_EDGE'>();
  private byName: Map<string, NodeFact[]> | undefined;
  /** Nodes by name, built on the first edge that matches by name (made once: a closure per edge costs a million). */
  private readonly names = (): Map<string, NodeFact[]> => (this.byName ??= indexByName(this.nodes.nodes));
  chunk: GraphFragment = this.nodes;

  constructor(private readonly file: string) {}

  // What a node's kinds say (its node kind, whether they declare it high value), worked out once per list of kinds:
  // a few lists name most of a large graph's nodes, and each costs several regular expressions.
  private readonly oneKind = new Map<string, KindsInfo>();
  private readonly manyKinds = new Map<string, KindsInfo>();
  private readonly kindsInfo = (kinds: string[]): KindsInfo => {
    const cache = kinds.length === 1 ? this.oneKind : this.manyKinds;
    const key = kinds.length === 1 ? kinds[0]! : JSON.stringify(kinds);
    let info = cache.get(key);
    if (info === undefined) cache.set(key, (info = { kind: mapNodeKind(kinds), highValue: kinds.some((k) => /highvalue|tierzero|tier_zero/i.test(k)) }));
    return info;
  };

  node(raw: unknown, i: number, sourceKind: string | undefined): void {
    const { node, highValue } = readNode(this.file, raw, i, sourceKind, this.kindsInfo);
    this.nodes.nodes.push(node);
    this.known.set(String((raw as Record<string, unknown>)['id']), node.id);
    const kinds = node.props?.['kinds'] as string[];
    const props = node.props ?? {};
    if (highValue || props['highvalue'] === true || props['isTierZero'] === true) {
      this.nodes.marks!.push({ nodeId: node.id, mark: 'high-value', note: `declared high value by the OpenGraph source (kinds: ${kinds.join(', ')})` } satisfies MarkRequest);
    }
  }

  /** Adds edge i; returns a full chunk to write when this one is full. */
  edge(raw: unknown, i: number): GraphFragment | undefined {
    const full = this.next();
    const { kind, start, end, extra } = edgeParts(this.file, raw, i);
    this.add(i, kind, this.end(start, i, 'start'), this.end(end, i, 'end'), extra);
    return full;
  }

  /** Starts a new chunk when this one is full, returning the full one. */
  next(): GraphFragment | undefined {
    if (this.chunk.edges.length < EDGE_CHUNK) return undefined;
    const full = this.chunk;
    this.chunk = { nodes: [], edges: [], warnings: [] };
    return full;
  }

  /** One end of edge i as a node id (a stub, a warning go in the current chunk); undefined: the edge is skipped. */
  end(end: EdgeEnd, i: number, side: 'start' | 'end'): string | undefined {
    return resolve(end, i, side, this.known, this.names, this.chunk);
  }

  /** Adds edge i, its ends resolved (next() called first); an edge with an end unresolved is skipped. */
  add(i: number, kind: string, from: string | undefined, to: string | undefined, extra: JsonObject | undefined): void {
    if (!from || !to) return;
    // The edge record itself is the evidence: its place in the file (`at`) is kept rather than a copy,
    // which keeps million-edge graphs small.
    const at = `$.graph.edges[${i}]`;
    let mapped = this.kinds.get(kind);
    if (mapped === undefined) this.kinds.set(kind, (mapped = MEMBER_OF.test(kind) ? 'MEMBER_OF' : 'OPENGRAPH_EDGE'));
    this.chunk.edges.push({ from, to, kind: mapped, props: extra ? { ...extra, technique: kind, at } : { technique: kind, at } });
  }
}

function* fromDocument(file: string, root: unknown): Iterable<GraphFragment> {
  if (!isObject(root)) throw new ImportError(file, 'expected a JSON object with a "graph" member', '$');
  const graph = root['graph'];
  if (!isObject(graph)) throw new ImportError(file, 'expected "graph" to be an object with "nodes" and "edges"', '$.graph');
  const metadata = isObject(root['metadata']) ? root['metadata'] : undefined;
  const sourceKind = typeof metadata?.['source_kind'] === 'string' ? metadata['source_kind'] : undefined;
  const rawNodes = graph['nodes'] ?? [];
  const rawEdges = graph['edges'] ?? [];
  if (!Array.isArray(rawNodes)) throw new ImportError(file, 'expected an array', '$.graph.nodes');
  if (!Array.isArray(rawEdges)) throw new ImportError(file, 'expected an array', '$.graph.edges');
  const reader = new GraphReader(file);
  for (let i = 0; i < rawNodes.length; i++) reader.node(rawNodes[i], i, sourceKind);
  for (let i = 0; i < rawEdges.length; i++) {
    const full = reader.edge(rawEdges[i], i);
    if (full) yield full;
  }
  yield reader.chunk;
}

/**
 * Which values of an OpenGraph document a pass reads (json-stream's `choose`): the node pass walks "graph.nodes" and
 * hands over "metadata", the edge pass walks "graph.edges". Checks the shape on the way (errors name the place);
 * `graph` says what "graph" was once it has been seen.
 */
export function graphShape(file: string, walk: 'nodes' | 'edges'): { choose: (path: JsonPathParts, container: boolean, array: boolean) => StreamChoice; graph: () => 'none' | 'object' | 'other' } {
  let graph: 'none' | 'object' | 'other' = 'none';
  const choose = (path: JsonPathParts, container: boolean, array: boolean): StreamChoice => {
    if (path.length === 0) {
      if (!container || array) throw new ImportError(file, 'expected a JSON object with a "graph" member', '$');
      return 'descend';
    }
    if (path[0] === 'metadata' && path.length === 1) return walk === 'nodes' ? 'emit' : 'skip';
    if (path[0] !== 'graph') return 'skip';
    if (path.length === 1) {
      graph = container && !array ? 'object' : 'other';
      if (graph === 'other') throw new ImportError(file, 'expected "graph" to be an object with "nodes" and "edges"', '$.graph');
      return 'descend';
    }
    if (path.length === 2 && (path[1] === 'nodes' || path[1] === 'edges')) {
      if (!array) throw new ImportError(file, 'expected an array', `$.graph.${path[1]}`);
      return path[1] === walk ? 'descend' : 'skip';
    }
    return path.length === 3 && path[1] === walk ? 'emit' : 'skip';
  };
  return { choose, graph: () => graph };
}

/**
 * The same reading, streamed: a pass for the nodes (edges may name them), then one for the edges. The edge pass
 * (most of the file) is read and checked in a worker thread when it can be (opengraph-edges.ts), at the same time as
 * the node pass here and then the writes of the edges: it hands over the edges in the same order, with the same
 * first error, and this thread resolves and adds them as the reading here would.
 */
async function* streamed(input: ImportInput): AsyncIterable<GraphFragment> {
  const file = input.fileName;
  const reader = new GraphReader(file);
  const edgeWorker = startEdgeWorker(input);
  try {
    let metadata: unknown;
    let nodeCount = 0;
    // The node pass is over once the node list and the metadata have been read: the edge list (most of the file) is
    // then not scanned twice. The edge pass reads the whole document, so it still checks every byte of it.
    let nodesRead = false;
    let metadataRead = false;
    const nodeShape = graphShape(file, 'nodes');
    const shape = (path: JsonPathParts, container: boolean, array: boolean): StreamChoice => {
      if (nodesRead && metadataRead && !(path[0] === 'graph' && path[1] === 'nodes')) return 'stop';
      const choice = nodeShape.choose(path, container, array);
      if (choice !== 'skip' && path.length <= 2) {
        if (path[0] === 'metadata') metadataRead = true;
        else if (path[1] === 'nodes') nodesRead = true;
      }
      return choice;
    };
    let sourceKind: string | undefined;
    let beforeMetadata = 0;
    // Values an array at a time: a million edges handed over one by one would cost a promise each.
    for await (const batch of input.jsonStreamBatches(shape)) {
      for (const v of batch) {
        if (v.path[0] === 'metadata') {
          metadata = v.value;
          sourceKind = isObject(metadata) && typeof metadata['source_kind'] === 'string' ? metadata['source_kind'] : undefined;
          continue;
        }
        reader.node(v.value, nodeCount++, sourceKind);
        if (metadata === undefined) beforeMetadata++;
      }
    }
    if (nodeShape.graph() === 'none') throw new ImportError(file, 'expected "graph" to be an object with "nodes" and "edges"', '$.graph');
    // Metadata written after the nodes: its source kind goes on the nodes read before it, as a whole read would put it.
    if (sourceKind) for (const node of reader.nodes.nodes.slice(0, beforeMetadata)) node.props!['source_kind'] = sourceKind;
    if (edgeWorker && (await edgeWorker.started())) yield* edgesFrom(edgeWorker, reader);
    else {
      for await (const batch of input.jsonStreamBatches(graphShape(file, 'edges').choose)) {
        for (const v of batch) {
          const full = reader.edge(v.value, v.path[2] as number);
          if (full) yield full;
        }
      }
    }
    yield reader.chunk;
  } finally {
    edgeWorker?.stop();
  }
}

/**
 * The edges the worker read, added to the reader in order (full chunks yielded as they fill). Each distinct end is resolved once: an end named
 * by id always resolves the same way, and a name that matched once always will (one that did not is resolved again
 * at every edge naming it, for its warning).
 */
async function* edgesFrom(worker: EdgeWorker, reader: GraphReader): AsyncGenerator<GraphFragment, void, undefined> {
  const kinds: string[] = [];
  const ends: EdgeEnd[] = [];
  const resolved: (string | undefined)[] = [];
  const endOf = (k: number, i: number, side: 'start' | 'end'): string | undefined => {
    const known = resolved[k];
    if (known !== undefined) return known;
    const id = reader.end(ends[k]!, i, side);
    if (id !== undefined) resolved[k] = id;
    return id;
  };
  for (;;) {
    const m = await worker.next();
    if (m.type === 'end') return;
    if (m.type === 'error') throw errorFrom(m.error);
    for (const k of m.kinds) kinds.push(k);
    for (const [value, matchBy, kind] of m.ends) ends.push({ value, match_by: matchBy, kind: kind ?? undefined });
    const { index, kind, start, end, extraAt, extras } = m;
    let x = 0;
    for (let e = 0; e < index.length; e++) {
      const i = index[e]!;
      const full = reader.next();
      let extra: JsonObject | undefined;
      if (x < extraAt.length && extraAt[x] === e) extra = JSON.parse(extras[x++]!) as JsonObject;
      reader.add(i, kinds[kind[e]!]!, endOf(start[e]!, i, 'start'), endOf(end[e]!, i, 'end'), extra);
      if (full) yield full;
    }
  }
}

/** Edges per fragment: large enough to amortise a write, small enough to die young in the garbage collector. */
const EDGE_CHUNK = 50_000;

const MEMBER_OF = /(^|_)MemberOf$/i;

interface KindsInfo {
  kind: NodeKind;
  highValue: boolean;
}

/** A node as stated, checked (errors name the place), with whether its kinds declare it high value. */
function readNode(file: string, raw: unknown, i: number, sourceKind: string | undefined, kindsInfo: (kinds: string[]) => KindsInfo): { node: NodeFact; highValue: boolean } {
  if (!isObject(raw)) throw new ImportError(file, 'expected a node object', jsonPath('graph', 'nodes', i));
  const id = raw['id'];
  if (typeof id !== 'string' && typeof id !== 'number') throw new ImportError(file, 'a node needs a string "id"', jsonPath('graph', 'nodes', i, 'id'));
  const kinds = raw['kinds'];
  if (!Array.isArray(kinds) || kinds.length === 0 || !kinds.every((k) => typeof k === 'string')) {
    throw new ImportError(file, 'a node needs "kinds": a non-empty array of strings', jsonPath('graph', 'nodes', i, 'kinds'));
  }
  const props = raw['properties'] === undefined ? {} : raw['properties'];
  if (!isObject(props)) throw new ImportError(file, 'expected "properties" to be an object', jsonPath('graph', 'nodes', i, 'properties'));
  const info = kindsInfo(kinds as string[]);
  const node: NodeFact = {
    id: ids.opengraph(String(id)),
    kind: info.kind,
    name: firstString(props, ['name', 'displayname', 'objectid']) ?? String(id),
    handles: handlesOf(String(id), props),
    props: { ...(props as JsonObject), kinds: kinds as string[], ...(sourceKind ? { source_kind: sourceKind } : {}) },
  };
  return { node, highValue: info.highValue };
}

/** One end of an edge as the file states it, checked: what resolve() needs (also what the edge worker sends). */
export interface EdgeEnd {
  value: string | number;
  match_by: 'id' | 'name';
  kind: string | undefined;
}

/** Checks one end of an edge (errors name its place) and returns what it states. */
export function edgeEnd(file: string, raw: unknown, edgeIndex: number, side: 'start' | 'end'): EdgeEnd {
  if (!isObject(raw)) throw new ImportError(file, 'an edge end needs {"value": …, "match_by": "id" | "name"}', jsonPath('graph', 'edges', edgeIndex, side));
  const value = raw['value'];
  if (typeof value !== 'string' && typeof value !== 'number') throw new ImportError(file, 'an edge end needs a "value"', jsonPath('graph', 'edges', edgeIndex, side, 'value'));
  const matchBy = raw['match_by'] ?? 'id';
  if (matchBy !== 'id' && matchBy !== 'name') throw new ImportError(file, `"match_by" must be "id" or "name", not ${shown(matchBy)}`, jsonPath('graph', 'edges', edgeIndex, side, 'match_by'));
  return { value, match_by: matchBy, kind: typeof raw['kind'] === 'string' ? raw['kind'] : undefined };
}

/** Checks an edge as edge() does, in the same order (so the same first error), and returns its parts. */
export function edgeParts(file: string, raw: unknown, i: number): { kind: string; start: EdgeEnd; end: EdgeEnd; extra: JsonObject | undefined } {
  if (!isObject(raw)) throw new ImportError(file, 'expected an edge object', jsonPath('graph', 'edges', i));
  const kind = raw['kind'];
  if (typeof kind !== 'string' || !kind) throw new ImportError(file, 'an edge needs a string "kind"', `${jsonPath('graph', 'edges', i)}.kind`);
  const start = edgeEnd(file, raw['start'], i, 'start');
  const end = edgeEnd(file, raw['end'], i, 'end');
  const extra = raw['properties'];
  return { kind, start, end, extra: isObject(extra) ? (extra as JsonObject) : undefined };
}

/**
 * Resolves one end of an edge (checked by edgeEnd) to a node id. An id reference may name a node of another file
 * (kept as a stub here); a name reference must match exactly one node of this file, else the edge is skipped with a
 * warning.
 */
function resolve(
  { value, match_by: matchBy, kind }: EdgeEnd,
  edgeIndex: number,
  side: 'start' | 'end',
  known: Map<string, string>,
  names: () => Map<string, NodeFact[]>,
  fragment: GraphFragment,
): string | undefined {
  if (matchBy === 'id') {
    const rawId = String(value);
    let id = known.get(rawId);
    if (id === undefined) {
      known.set(rawId, (id = ids.opengraph(rawId)));
      fragment.nodes.push({ id, kind: kind ? mapNodeKind([kind]) : 'og_object', name: rawId, handles: [rawId], stub: true });
    }
    return id;
  }
  const matches = (names().get(String(value).toLowerCase()) ?? []).filter((n) => !kind || (n.props?.['kinds'] as string[]).includes(kind));
  if (matches.length === 1) return matches[0]!.id;
  fragment.warnings.push({
    message: matches.length === 0 ? `edge skipped: no node named ${JSON.stringify(value)}` : `edge skipped: ${matches.length} nodes are named ${JSON.stringify(value)}`,
    location: jsonPath('graph', 'edges', edgeIndex, side),
  });
  return undefined;
}

/** Nodes by lower-cased name and display name; built only when an edge matches by name. */
function indexByName(nodes: NodeFact[]): Map<string, NodeFact[]> {
  const index = new Map<string, NodeFact[]>();
  for (const node of nodes) {
    if (node.stub) continue;
    for (const key of [node.props?.['name'], node.props?.['displayname']]) {
      if (typeof key !== 'string') continue;
      const list = index.get(key.toLowerCase()) ?? [];
      if (!list.includes(node)) list.push(node);
      index.set(key.toLowerCase(), list);
    }
  }
  return index;
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

