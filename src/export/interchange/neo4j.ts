// Neo4j: a folder for `neo4j-admin database import full` (nodes.csv and edges.csv with typed headers: id:ID, :LABEL,
// :START_ID, :END_ID, :TYPE, typed property columns), schema.cypher (constraint and indexes), queries.cypher (starter
// queries: blast radius, shortest path to admin, leaked keys that reach admin) and load.cypher, the same graph as
// UNWIND batches for cypher-shell (small cases; no admin import needed). Every file is written under a temporary
// name and renamed into place only when the whole export succeeded.
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { EdgeView } from '../../api/contract.js';
import { ApiError } from '../../api/errors.js';
import { EDGE_KINDS, NODE_KINDS } from '../../model/kinds.js';
import { FileSink, type TextSink } from '../sink.js';
import { csvLines } from '../table.js';
import { pascalCase, type GraphNode, type GraphSource } from './graph-source.js';

export const NODE_HEADER = ['id:ID', 'name', 'kind', 'kind_label', 'category', 'provider', 'boundary', 'stub:boolean', 'marks:string[]', 'handles', 'props', ':LABEL'];
export const EDGE_HEADER = [':START_ID', ':END_ID', ':TYPE', 'edge_id:long', 'derived:boolean', 'observed:boolean', 'traversable:boolean', 'conditional', 'technique', 'access_level', 'reason', 'first_seen:datetime', 'last_seen:datetime', 'count:long', 'source', 'evidence'];

/** Rows per UNWIND statement in load.cypher. */
const LOAD_BATCH = 500;
const CSV_BATCH = 1000;

export function nodeLabels(n: GraphNode): string[] {
  return ['Blastmap', pascalCase(n.summary.category), pascalCase(n.summary.kind)];
}

/** An ISO time as neo4j's datetime reads it, or '' when the value is not a time. */
function datetime(v: string | undefined): string {
  if (!v) return '';
  const t = Date.parse(v);
  return Number.isNaN(t) ? '' : new Date(t).toISOString();
}

function nodeRecord(n: GraphNode): string[] {
  const s = n.summary;
  return [s.id, s.name, s.kind, NODE_KINDS[s.kind]?.label ?? s.kind, s.category, s.provider, s.boundary ?? '', s.stub ? 'true' : 'false', s.marks.join(';'), JSON.stringify(n.handles), JSON.stringify(n.props), nodeLabels(n).join(';')];
}

function edgeRecord(e: EdgeView): string[] {
  return [
    e.from,
    e.to,
    e.kind,
    String(e.id),
    String(e.derived),
    String(e.observed),
    String(EDGE_KINDS[e.kind]?.traversable ?? false),
    e.conditional ?? '',
    e.technique ?? '',
    e.accessLevel ?? '',
    e.reason,
    datetime(e.firstSeen),
    datetime(e.lastSeen),
    e.count !== undefined ? String(e.count) : '',
    e.source?.fileName ?? '',
    e.evidence.map((ev) => (ev.location ? `${ev.summary} (${ev.location})` : ev.summary)).join(' | '),
  ];
}

// eslint-disable-next-line no-control-regex -- what a Cypher literal must escape, tested once before any work
const NEEDS_CYPHER_WORK = /[\\'"\u0000-\u001f\u007f\u2028\u2029\ud800-\udfff]/;

/**
 * A Cypher string literal: backslash escapes for the quote, the backslash and control characters; a lone surrogate
 * (not valid UTF-8) becomes U+FFFD. Safe inside any statement.
 */
export function cypherString(s: string): string {
  if (!NEEDS_CYPHER_WORK.test(s)) return `'${s}'`;
  const escaped = s
    .replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd')
    // eslint-disable-next-line no-control-regex -- control characters are exactly what must be escaped here
    .replace(/[\\'"\u0000-\u001f\u007f\u2028\u2029]/g, (c) => {
      switch (c) {
        case '\\':
          return '\\\\';
        case "'":
          return "\\'";
        case '"':
          return '\\"';
        case '\n':
          return '\\n';
        case '\r':
          return '\\r';
        case '\t':
          return '\\t';
        default:
          return `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
      }
    });
  return `'${escaped}'`;
}

type CypherValue = string | number | boolean | string[];

function cypherValue(v: CypherValue): string {
  if (typeof v === 'string') return cypherString(v);
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : 'null';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  return `[${v.map(cypherString).join(', ')}]`;
}

/** A map literal; keys are Blastmap's own property names (identifiers), never case text. */
function cypherMap(m: Record<string, CypherValue | undefined>): string {
  return `{${Object.entries(m)
    .filter(([, v]) => v !== undefined && v !== '')
    .map(([k, v]) => `${k}: ${cypherValue(v!)}`)
    .join(', ')}}`;
}

function nodeMap(n: GraphNode): string {
  const s = n.summary;
  return cypherMap({ id: s.id, name: s.name, kind: s.kind, kind_label: NODE_KINDS[s.kind]?.label ?? s.kind, category: s.category, provider: s.provider, boundary: s.boundary, stub: s.stub, marks: s.marks, handles: JSON.stringify(n.handles), props: JSON.stringify(n.props) });
}

function edgeMap(e: EdgeView): string {
  const props = cypherMap({
    edge_id: e.id,
    derived: e.derived,
    observed: e.observed,
    conditional: e.conditional,
    technique: e.technique,
    access_level: e.accessLevel,
    reason: e.reason,
    first_seen: datetime(e.firstSeen),
    last_seen: datetime(e.lastSeen),
    count: e.count,
    source: e.source?.fileName,
    evidence: e.evidence.map((ev) => (ev.location ? `${ev.summary} (${ev.location})` : ev.summary)).join(' | '),
  });
  return `{from: ${cypherString(e.from)}, to: ${cypherString(e.to)}, props: ${props}}`;
}

export const SCHEMA_CYPHER = `// Blastmap export: constraint and indexes. Run once after neo4j-admin import (cypher-shell -f schema.cypher).
CREATE CONSTRAINT blastmap_id IF NOT EXISTS FOR (n:Blastmap) REQUIRE n.id IS UNIQUE;
CREATE INDEX blastmap_name IF NOT EXISTS FOR (n:Blastmap) ON (n.name);
CREATE INDEX blastmap_kind IF NOT EXISTS FOR (n:Blastmap) ON (n.kind);
CREATE INDEX blastmap_category IF NOT EXISTS FOR (n:Blastmap) ON (n.category);
CREATE INDEX blastmap_boundary IF NOT EXISTS FOR (n:Blastmap) ON (n.boundary);
`;

const TRAVERSABLE = Object.entries(EDGE_KINDS)
  .filter(([, spec]) => spec.traversable)
  .map(([k]) => k)
  .join('|');

export const QUERIES_CYPHER = `// Blastmap export: starter queries. Set the start node first, e.g.
//   :param id => 'aws:key:AKIAIOSFODNN7EXAMPLE'
// Ids are Blastmap's (ARNs, aws:key:<key id>, k8s:<cluster>/<ns>/<kind>/<name>, gcp:sa:<email>, og:<id>).
// Only traversable relationships are walked (${TRAVERSABLE.split('|').length} kinds); TRUSTS and HAS_ROLE are raw
// statements, OWNS and FEDERATION_REFUSED grant nothing.

// 1. Blast radius: everything the start node reaches, nearest first.
MATCH p = (s:Blastmap {id: $id})-[:${TRAVERSABLE}*1..10]->(n:Blastmap)
WITH n, min(length(p)) AS depth
RETURN n.category AS category, n.kind AS kind, n.name AS name, n.id AS id, depth
ORDER BY depth, category, name;

// 2. Shortest paths from the start node to any admin node (admin of an account, cluster, project or tenant).
MATCH (s:Blastmap {id: $id}), (a:Admin)
MATCH p = shortestPath((s)-[:${TRAVERSABLE}*..15]->(a))
RETURN a.name AS admin, length(p) AS steps, [n IN nodes(p) | n.name] AS route, [r IN relationships(p) | type(r)] AS edges
ORDER BY steps LIMIT 25;

// 3. Compromised credentials that reach an admin node, with the shortest route.
MATCH (c:Credential) WHERE 'compromised' IN c.marks
MATCH (a:Admin)
MATCH p = shortestPath((c)-[:${TRAVERSABLE}*..15]->(a))
RETURN c.name AS credential, a.name AS admin, length(p) AS steps
ORDER BY steps;

// 4. Who is admin-equivalent of what (directly).
MATCH (i:Blastmap)-[:ADMIN_OF]->(a:Admin)
RETURN a.name AS admin, collect(i.name) AS admins
ORDER BY admin;

// 5. Edges that hold only under a condition Blastmap could not decide offline.
MATCH (a)-[r]->(b) WHERE r.conditional IS NOT NULL
RETURN a.name, type(r), b.name, r.conditional LIMIT 100;
`;

export function readme(counts: { nodes: number; edges: number }): string {
  return `Blastmap export for Neo4j: ${counts.nodes} nodes, ${counts.edges} relationships.

Bulk import into a new database (Neo4j 5; stop the database first):

  neo4j-admin database import full --nodes=nodes.csv --relationships=edges.csv \\
    --id-type=string --multiline-fields=true --array-delimiter=';' --overwrite-destination neo4j
  cypher-shell -f schema.cypher

Small cases, into a running database without neo4j-admin:

  cypher-shell -f load.cypher

Then see queries.cypher. Fields may hold line breaks (hence --multiline-fields); quotes inside fields are doubled.
Node labels: Blastmap, the category (Identity, Credential, Resource, Group, Boundary, Admin, Evidence) and the kind
(AwsUser, K8sServiceAccount, …). Relationship types are Blastmap's edge kinds (CAN_ASSUME, ADMIN_OF, …).
handles and props are JSON strings.
`;
}

/** Buffers UNWIND rows per label set (nodes) or type (edges) and writes a statement per full batch. */
class Batches {
  private readonly open = new Map<string, string[]>();
  constructor(
    private readonly sink: TextSink,
    private readonly statement: (key: string, rows: string[]) => string,
  ) {}
  add(key: string, row: string): void {
    const list = this.open.get(key) ?? [];
    list.push(row);
    this.open.set(key, list);
    if (list.length >= LOAD_BATCH) this.flush(key);
  }
  flush(key?: string): void {
    for (const k of key === undefined ? [...this.open.keys()] : [key]) {
      const rows = this.open.get(k);
      if (rows?.length) this.sink.write(this.statement(k, rows));
      this.open.delete(k);
    }
  }
}

/** Above this many nodes and edges load.cypher says to use neo4j-admin instead of holding the graph as UNWIND batches. */
export const LOAD_CYPHER_LIMIT = 250_000;

/** Writes the Neo4j folder; the folder may exist but must be empty. `size` (nodes + edges) decides on load.cypher. */
export function writeNeo4j(graph: GraphSource, dir: string, size = 0): { nodes: number; edges: number } {
  const existed = existsSync(dir);
  if (existed && readdirSync(dir).length > 0) throw new ApiError({ code: 'bad-input', message: `${dir}: the Neo4j export writes a folder of its own; this one is not empty` });
  mkdirSync(dir, { recursive: true });
  const sinks: FileSink[] = [];
  const open = (name: string) => {
    const s = new FileSink(join(dir, name));
    sinks.push(s);
    return s;
  };
  try {
    const nodesCsv = open('nodes.csv');
    const edgesCsv = open('edges.csv');
    const load = open('load.cypher');
    const opts = { escapeFormulas: false, eol: '\n' as const };
    nodesCsv.write(csvLines([NODE_HEADER], opts));
    edgesCsv.write(csvLines([EDGE_HEADER], opts));
    const small = size <= LOAD_CYPHER_LIMIT;
    load.write(
      small
        ? `// Blastmap export as Cypher for small cases: cypher-shell -f load.cypher (beyond ${LOAD_CYPHER_LIMIT.toLocaleString('en-US')} nodes and edges, use the CSVs and neo4j-admin).\n${SCHEMA_CYPHER}\n`
        : `// This case has ${size.toLocaleString('en-US')} nodes and edges: too many for UNWIND batches through cypher-shell.\n// Import nodes.csv and edges.csv with neo4j-admin (see README.txt), then run schema.cypher.\n`,
    );
    const unwind = small ? load : { write: () => undefined };
    const nodeBatches = new Batches(unwind, (labels, rows) => `UNWIND [\n${rows.join(',\n')}\n] AS row\nMERGE (n:Blastmap {id: row.id})\nSET n += row, n:${labels.split(';').slice(1).join(':')};\n`);
    const counts = { nodes: 0, edges: 0 };
    let batch: string[][] = [];
    for (const n of graph.nodes()) {
      batch.push(nodeRecord(n));
      if (batch.length === CSV_BATCH) {
        nodesCsv.write(csvLines(batch, opts));
        batch = [];
      }
      if (small) nodeBatches.add(nodeLabels(n).join(';'), nodeMap(n));
      counts.nodes++;
    }
    nodesCsv.write(csvLines(batch, opts));
    nodeBatches.flush();
    const edgeBatches = new Batches(unwind, (type, rows) => `UNWIND [\n${rows.join(',\n')}\n] AS row\nMATCH (a:Blastmap {id: row.from})\nMATCH (b:Blastmap {id: row.to})\nCREATE (a)-[r:${type}]->(b)\nSET r = row.props;\n`);
    batch = [];
    for (const e of graph.edges()) {
      batch.push(edgeRecord(e));
      if (batch.length === CSV_BATCH) {
        edgesCsv.write(csvLines(batch, opts));
        batch = [];
      }
      if (small) edgeBatches.add(e.kind, edgeMap(e));
      counts.edges++;
    }
    edgesCsv.write(csvLines(batch, opts));
    edgeBatches.flush();
    open('schema.cypher').write(SCHEMA_CYPHER);
    open('queries.cypher').write(QUERIES_CYPHER);
    open('README.txt').write(readme(counts));
    for (const s of sinks) s.commit();
    return counts;
  } catch (err) {
    for (const s of sinks) s.abort();
    if (!existed) rmSync(dir, { recursive: true, force: true });
    throw err;
  }
}
