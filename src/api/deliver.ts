// What an investigation hands on: the inventory, triage, tables out (CSV, JSON, Markdown) and the report. The CLI
// streams tables to files (writeTable); the UI asks for the text (exportTable) and saves it as a download.
import { containmentMarkdown } from '../export/markdown.js';
import { EDGES_TABLE, edgeRows, NODES_TABLE, nodeRows } from '../export/graph-tables.js';
import { caseGraph } from '../export/interchange/graph-source.js';
import { writeGraphml } from '../export/interchange/graphml.js';
import { writeNeo4j } from '../export/interchange/neo4j.js';
import { writeOpenGraph } from '../export/interchange/opengraph.js';
import { StringSink, withFile, type TextSink } from '../export/sink.js';
import { writeTable, type TableDef } from '../export/table.js';
import { BLAST_BOUNDARIES_TABLE, BLAST_TABLE, blastRows, CONTAINMENT_TABLE, cutRows, FINDINGS_TABLE, INVENTORY_TABLE, PATHS_TABLE, pathRows, TRIAGE_TABLE } from '../export/tables.js';
import type { CaseStore } from '../store/case-store.js';
import type { AnalysisViews } from './analysis.js';
import type { AttackPath, ExportedFile, ExportTableRequest, Finding, InventoryRow, ReportRequest, TraversalOptions, TriageRow } from './contract.js';
import { ApiError } from './errors.js';
import { buildInventory, caseTime } from './inventory.js';
import { crownPaths, gatherReport, reportFile } from './report.js';
import { buildTriage } from './triage.js';
import type { Views } from './views.js';

export interface DeliverDeps {
  store: CaseStore;
  views: Views;
  analysis: () => AnalysisViews;
  findings: () => Finding[];
}

export type GraphFormat = 'opengraph' | 'neo4j' | 'graphml';

const MEDIA = { csv: 'text/csv;charset=utf-8', json: 'application/json', markdown: 'text/markdown;charset=utf-8' } as const;
const EXT = { csv: 'csv', json: 'json', markdown: 'md' } as const;

export class Deliver {
  constructor(private readonly d: DeliverDeps) {}

  inventory(): InventoryRow[] {
    return buildInventory(this.d.store, this.d.analysis().index, this.d.views);
  }

  triage(opts: TraversalOptions = {}): TriageRow[] {
    return buildTriage(this.d.store, this.d.views, this.d.analysis(), opts);
  }

  /** Writes a table to a sink; returns the rows written and the name a file of it should have. */
  writeTable(req: ExportTableRequest, sink: TextSink): { rows: number; baseName: string } {
    const traversal = traversalOf(req);
    const table = <R>(def: TableDef<R>, rows: Iterable<R>, baseName: string) => {
      if (req.format === 'markdown') throw new ApiError({ code: 'bad-input', message: `markdown is a format of the containment plan only, not of ${req.table}` });
      return { rows: writeTable(def, rows, req.format, sink), baseName };
    };
    const from = () => {
      if (!req.from) throw new ApiError({ code: 'bad-input', message: `exporting ${req.table} needs the node it starts from (from)` });
      return req.from;
    };
    switch (req.table) {
      case 'findings':
        return table(FINDINGS_TABLE, this.d.findings(), 'findings');
      case 'nodes':
        return table(NODES_TABLE, nodeRows(this.d.store, this.d.views), 'nodes');
      case 'edges':
        return table(EDGES_TABLE, edgeRows(this.d.store, this.d.views), 'edges');
      case 'inventory':
        return table(INVENTORY_TABLE, this.inventory(), 'inventory');
      case 'triage':
        return table(TRIAGE_TABLE, this.triage(traversal), 'triage');
      case 'blast-radius': {
        const br = this.d.analysis().blastRadius(this.id(from()), traversal);
        const base = `blast-radius-${slug(br.origin.name)}`;
        if (req.list === 'boundaries') return table(BLAST_BOUNDARIES_TABLE, br.byBoundary, `${base}-boundaries`);
        return table(BLAST_TABLE, blastRows(br, req.list ?? 'all'), req.list && req.list !== 'all' ? `${base}-${req.list}` : base);
      }
      case 'paths': {
        const origin = this.id(from());
        const paths = this.paths(origin, req.to, req.k ?? 20, traversal);
        return table(PATHS_TABLE, pathRows(paths), `paths-${slug(this.d.views.summaryOf(origin).name)}`);
      }
      case 'containment': {
        const plan = this.d.analysis().containment(this.id(from()), req.targets?.map((t) => this.id(t)), traversal);
        const baseName = `containment-${slug(plan.origin.name)}`;
        if (req.format === 'markdown') {
          sink.write(containmentMarkdown(plan, req.done));
          return { rows: plan.cuts.length, baseName };
        }
        return table(CONTAINMENT_TABLE, cutRows(plan, req.done), baseName);
      }
    }
  }

  /** A table as text, for the UI to save (bounded: the whole of it crosses to the window at once). */
  exportTable(req: ExportTableRequest, now: Date = new Date()): ExportedFile {
    const sink = new StringSink(64 * 1024 * 1024, `the ${req.table} table`);
    const { rows, baseName } = this.writeTable(req, sink);
    return { fileName: `blastmap-${baseName}-${stamp(now)}.${EXT[req.format]}`, mediaType: MEDIA[req.format], text: sink.text(), rows };
  }

  /** The case report: one self-contained HTML file. */
  report(req: ReportRequest, now: Date = new Date()): ExportedFile {
    const triage = this.triage();
    const data = gatherReport(
      { store: this.d.store, analysis: this.d.analysis(), triage, findings: req.only === 'compromised' ? [] : this.d.findings(), inventory: req.only === 'compromised' ? [] : buildInventory(this.d.store, this.d.analysis().index, this.d.views, caseTime(this.d.store)), now },
      req,
    );
    return reportFile(data, stamp(now));
  }

  /**
   * The whole graph for another engine: OpenGraph JSON or GraphML into a file or a sink, or the Neo4j folder
   * (`out` names the folder).
   */
  exportGraph(format: GraphFormat, out: string | TextSink): { nodes: number; edges: number } {
    const graph = caseGraph(this.d.store, this.d.views);
    if (format === 'neo4j') {
      if (typeof out !== 'string') throw new ApiError({ code: 'bad-input', message: 'the Neo4j export is a folder of files: give a folder with --out' });
      const c = this.d.store.counts();
      return writeNeo4j(graph, out, c.nodes + c.edges);
    }
    const write = format === 'opengraph' ? writeOpenGraph : writeGraphml;
    return typeof out === 'string' ? withFile(out, (sink) => write(graph, sink)) : write(graph, out);
  }

  /** Paths to one node, to 'admin' or 'high-value', or (no target) to either, ranked together as the UI shows them. */
  private paths(from: string, to: string | undefined, k: number, opts: TraversalOptions): AttackPath[] {
    const a = this.d.analysis();
    if (to === 'admin' || to === 'high-value') return a.paths(from, to, { ...opts, k });
    if (to) return a.paths(from, this.id(to), { ...opts, k });
    return crownPaths(a, from, k, opts);
  }

  private id(ref: string): string {
    const n = this.d.store.node(ref);
    if (!n) throw new ApiError({ code: 'not-found', message: `no node with id ${JSON.stringify(ref)} in this case` });
    return n.id;
  }
}

export function traversalOf(req: TraversalOptions): TraversalOptions {
  const out: TraversalOptions = {};
  if (req.maxDepth !== undefined) out.maxDepth = req.maxDepth;
  if (req.includeConditional !== undefined) out.includeConditional = req.includeConditional;
  if (req.observedOnly !== undefined) out.observedOnly = req.observedOnly;
  if (req.since !== undefined) out.since = req.since;
  if (req.until !== undefined) out.until = req.until;
  return out;
}

/** A file-name-safe form of a node name: letters, digits, dots and dashes, at most 40 characters. */
export function slug(name: string): string {
  return (
    name
      .normalize('NFKD')
      .replace(/[^A-Za-z0-9.]+/g, '-')
      .replace(/^[-.]+|[-.]+$/g, '')
      .slice(0, 40)
      .replace(/[-.]+$/, '') || 'node'
  );
}

export function stamp(now: Date): string {
  return now.toISOString().slice(0, 19).replace(/[:T]/g, '-');
}
