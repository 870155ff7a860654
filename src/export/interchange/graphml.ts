// GraphML for Gephi, yEd and Cytoscape desktop: one directed graph, typed keys (<key attr.type>) declared up front,
// every case string escaped for XML. Characters XML 1.0 cannot hold (most control characters, lone surrogates) become
// U+FFFD; line breaks, tabs and carriage returns are written as character references so parsers keep them.
import type { EdgeView } from '../../api/contract.js';
import { NODE_KINDS } from '../../model/kinds.js';
import type { TextSink } from '../sink.js';
import type { GraphNode, GraphSource } from './graph-source.js';

type KeyType = 'string' | 'boolean' | 'long' | 'int';

const NODE_KEYS: [id: string, name: string, type: KeyType][] = [
  ['n_name', 'name', 'string'],
  ['n_kind', 'kind', 'string'],
  ['n_kind_label', 'kind_label', 'string'],
  ['n_category', 'category', 'string'],
  ['n_provider', 'provider', 'string'],
  ['n_boundary', 'boundary', 'string'],
  ['n_stub', 'stub', 'boolean'],
  ['n_marks', 'marks', 'string'],
  ['n_compromised', 'compromised', 'boolean'],
  ['n_high_value', 'high_value', 'boolean'],
  ['n_props', 'props', 'string'],
];

const EDGE_KEYS: [id: string, name: string, type: KeyType][] = [
  ['e_kind', 'kind', 'string'],
  ['e_edge_id', 'edge_id', 'long'],
  ['e_derived', 'derived', 'boolean'],
  ['e_observed', 'observed', 'boolean'],
  ['e_conditional', 'conditional', 'string'],
  ['e_technique', 'technique', 'string'],
  ['e_access_level', 'access_level', 'string'],
  ['e_reason', 'reason', 'string'],
  ['e_first_seen', 'first_seen', 'string'],
  ['e_last_seen', 'last_seen', 'string'],
  ['e_count', 'count', 'long'],
  ['e_source', 'source', 'string'],
  ['e_evidence', 'evidence', 'string'],
];

// eslint-disable-next-line no-control-regex -- the characters to escape or replace, tested once before any work
const NEEDS_XML_WORK = /[&<>"'\u0000-\u001f\ud800-\udfff\ufffe\uffff]/;

/** Text for an XML attribute or element: escaped, with characters XML 1.0 forbids replaced. */
export function xmlText(s: string): string {
  if (!NEEDS_XML_WORK.test(s)) return s;
  return s
    // eslint-disable-next-line no-control-regex -- control characters are exactly what must be escaped here
    .replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]|[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '\ufffd')
    .replace(/[&<>"'\t\n\r]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;', '\t': '&#9;', '\n': '&#10;', '\r': '&#13;' })[c]!);
}

function data(key: string, v: string | number | boolean | undefined): string {
  if (v === undefined || v === '') return '';
  return `<data key="${key}">${xmlText(String(v))}</data>`;
}

function nodeXml(n: GraphNode): string {
  const s = n.summary;
  return `<node id="${xmlText(s.id)}">${data('n_name', s.name)}${data('n_kind', s.kind)}${data('n_kind_label', NODE_KINDS[s.kind]?.label ?? s.kind)}${data('n_category', s.category)}${data('n_provider', s.provider)}${data('n_boundary', s.boundary)}${data('n_stub', s.stub)}${data('n_marks', s.marks.join(' '))}${data('n_compromised', s.marks.includes('compromised'))}${data('n_high_value', s.marks.includes('high-value'))}${data('n_props', Object.keys(n.props).length ? JSON.stringify(n.props) : undefined)}</node>`;
}

function edgeXml(e: EdgeView): string {
  const evidence = e.evidence.map((ev) => (ev.location ? `${ev.summary} (${ev.location})` : ev.summary)).join(' | ');
  return `<edge id="e${e.id}" source="${xmlText(e.from)}" target="${xmlText(e.to)}">${data('e_kind', e.kind)}${data('e_edge_id', e.id)}${data('e_derived', e.derived)}${data('e_observed', e.observed)}${data('e_conditional', e.conditional)}${data('e_technique', e.technique)}${data('e_access_level', e.accessLevel)}${data('e_reason', e.reason)}${data('e_first_seen', e.firstSeen)}${data('e_last_seen', e.lastSeen)}${data('e_count', e.count)}${data('e_source', e.source?.fileName)}${data('e_evidence', evidence)}</edge>`;
}

export function writeGraphml(graph: GraphSource, sink: TextSink): { nodes: number; edges: number } {
  sink.write('<?xml version="1.0" encoding="UTF-8"?>\n');
  sink.write('<graphml xmlns="http://graphml.graphdrawing.org/xmlns" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">\n');
  for (const [id, name, type] of NODE_KEYS) sink.write(`  <key id="${id}" for="node" attr.name="${name}" attr.type="${type}"/>\n`);
  for (const [id, name, type] of EDGE_KEYS) sink.write(`  <key id="${id}" for="edge" attr.name="${name}" attr.type="${type}"/>\n`);
  sink.write('  <graph id="blastmap" edgedefault="directed">\n');
  let nodes = 0;
  for (const n of graph.nodes()) {
    sink.write(`    ${nodeXml(n)}\n`);
    nodes++;
  }
  let edges = 0;
  for (const e of graph.edges()) {
    sink.write(`    ${edgeXml(e)}\n`);
    edges++;
  }
  sink.write('  </graph>\n</graphml>\n');
  return { nodes, edges };
}
