import type { EdgeFact, EdgeProps, Evidence, NodeFact } from '../model/fragment.js';
import type { Statement } from 'better-sqlite3';
import { flat } from '../model/flat.js';
import { isEdgeKind, type EdgeKind } from '../model/kinds.js';
import type { ChangeLog } from './change-log.js';
import type { EvidenceTable } from './evidence.js';
import type { FactWriter } from './facts.js';
import { findingText } from './findings.js';
import type { EdgeKinds, NodeIds } from './node-ids.js';
import type { SearchIndex } from './search-index.js';
import { RowBatch, type Sql } from './sql.js';
import { DERIVED_SOURCE, type FindingRow } from './types.js';

/** One rule's statement of a derived edge: its props (evidence included) and the scope it was derived in. */
export interface DerivedPart {
  rule: string;
  /** Boundary id the rule ran for ('' when it ran over the whole case). */
  scope: string;
  props: EdgeProps;
}

/** A derived edge as it is stored: the merge of its parts, in rule order. */
export interface DerivedRow {
  edge: EdgeFact;
  parts: DerivedPart[];
}

/** A rule's claim to a derived node. */
export interface NodeClaim {
  rule: string;
  scope: string;
  fact: NodeFact;
}

/** What a rule derived in some scopes, as stored: edge parts by key and node claims by id (JSON, to compare). */
export interface RuleOutputs {
  edges: Map<string, { kind: EdgeKind; src: string; dst: string; json: string }>;
  nodes: Map<string, string>;
}

// Flat (see flat()): a derivation keeps one per derived edge, tens of thousands, as map keys.
export const edgeKey = (kind: string, from: string, to: string, technique: unknown) => flat`${kind}\n${from}\n${to}\n${typeof technique === 'string' ? technique : ''}`;

/** The same merge emitEdge makes: the first part's props, every part's evidence, conditional only if all are. */
export function mergeParts(parts: readonly { props: EdgeProps }[]): EdgeProps {
  const first = parts[0]!.props;
  const props: EdgeProps = { ...first, evidence: [...(first.evidence ?? [])] };
  for (const p of parts.slice(1)) {
    props.evidence = [...(props.evidence ?? []), ...(p.props.evidence ?? [])];
    if (!p.props.conditional) delete props.conditional;
  }
  if (first.evidence === undefined && parts.length === 1) delete props.evidence;
  return props;
}

/**
 * What derivation rules made, by rule and scope (migration 0012): derived edges (edge_rows with `rule` and
 * `scope`, and derived_parts for an edge several rules emit), rules' claims to derived nodes (derived_nodes, the
 * first claim in rule order being the node fact of source 0), their evidence pieces and their findings. A rule
 * that runs again replaces exactly what it made in the scopes it ran over.
 */
export class DerivedTable {
  constructor(
    private readonly sql: Sql,
    private readonly nids: NodeIds,
    private readonly kinds: EdgeKinds,
    private readonly evidence: EvidenceTable,
    private readonly facts: FactWriter,
    private readonly search: SearchIndex,
    private readonly changes: ChangeLog,
  ) {}

  /** Inside writeAll: edge rows not inserted yet, and the id the next one gets. */
  private batch: { rows: RowBatch; next: number; from: string | undefined; src: number; scope: string | undefined; scopeNid: number } | undefined;

  private scopeNid(scope: string): number {
    return scope ? this.nids.nid(scope) : 0;
  }

  /** `scope IN (…)` for a list of scopes (numbers, so inlined), or no condition for every scope. */
  private scopeSql(scopes: readonly string[] | null, column = 'scope'): string {
    if (scopes === null) return '';
    const nums = scopes.map((s) => (s ? (this.nids.lookup(s) ?? -1) : 0));
    return ` AND ${column} IN (${nums.join(',')})`;
  }

  // --- writing everything (a run of every rule) --------------------------------------------------------------

  /**
   * Writes every derived edge of a run of all rules (after clearDerived). Tens of thousands of rows: they and their
   * evidence pieces go in by batches of rows per statement, numbered as SQLite would number them one by one.
   */
  writeAll(rows: Iterable<DerivedRow>): void {
    const next = ((this.sql.stmt('SELECT max(id) FROM edge_rows').pluck().get() as number | null) ?? 0) + 1;
    const batch = { rows: new RowBatch(this.sql, 'INSERT INTO edge_rows (id, src, dst, kind, source_id, derived, conditional, first_seen, last_seen, props, evidence, rule, scope)', '(?, ?, ?, ?, NULL, 1, ?, ?, ?, ?, ?, ?, ?)'), next, from: undefined, src: 0, scope: undefined, scopeNid: 0 };
    this.batch = batch;
    try {
      this.evidence.bulk(() => {
        for (const row of rows) this.insertRow(row);
        batch.rows.flush();
      });
    } finally {
      this.batch = undefined;
      this.lastProps = undefined;
    }
  }

  /** Writes every rule's node claims of a run of all rules; returns the node ids to materialise. */
  writeAllClaims(claims: Iterable<NodeClaim>, touched: Set<string>): void {
    const first = new Map<string, NodeFact>();
    const insert = this.sql.stmt('INSERT OR REPLACE INTO derived_nodes (node_id, rule, scope, fact) VALUES (?, ?, ?, ?)');
    for (const c of claims) {
      insert.run(c.fact.id, c.rule, this.scopeNid(c.scope), JSON.stringify(c.fact));
      if (!first.has(c.fact.id)) first.set(c.fact.id, c.fact);
    }
    if (first.size) this.facts.writeFragment(DERIVED_SOURCE, { nodes: [...first.values()], edges: [], warnings: [] }, touched);
  }

  // --- one rule -----------------------------------------------------------------------------------------------

  /** What a rule made in some scopes (null: all), to compare with what it makes now. */
  outputs(rule: string, scopes: readonly string[] | null): RuleOutputs {
    const edges = new Map<string, { kind: EdgeKind; src: string; dst: string; json: string }>();
    const where = this.scopeSql(scopes, 'e.scope');
    const shared = this.sharedIds();
    for (const r of this.sql.stmt(`SELECT e.id, s.id AS src, d.id AS dst, e.kind, e.props, e.evidence FROM edge_rows e JOIN node_ids s ON s.nid = e.src JOIN node_ids d ON d.nid = e.dst WHERE e.derived = 1 AND e.rule = ?${where}`).all(rule) as { id: number; src: string; dst: string; kind: number; props: string; evidence: string | null }[]) {
      if (shared.has(r.id)) continue;
      const kind = this.kinds.kindOf(r.kind);
      const props = JSON.parse(r.props) as EdgeProps;
      if (r.evidence !== null) props.evidence = this.evidence.pieces(r.evidence);
      edges.set(edgeKey(kind, r.src, r.dst, props.technique), { kind, src: r.src, dst: r.dst, json: JSON.stringify(props) });
    }
    for (const r of this.sql.stmt(`SELECT s.id AS src, d.id AS dst, e.kind, p.props FROM derived_parts p JOIN edge_rows e ON e.id = p.edge_id JOIN node_ids s ON s.nid = e.src JOIN node_ids d ON d.nid = e.dst WHERE p.rule = ?${this.scopeSql(scopes, 'p.scope')}`).all(rule) as { src: string; dst: string; kind: number; props: string }[]) {
      const kind = this.kinds.kindOf(r.kind);
      const props = JSON.parse(r.props) as EdgeProps;
      edges.set(edgeKey(kind, r.src, r.dst, props.technique), { kind, src: r.src, dst: r.dst, json: r.props });
    }
    const nodes = new Map<string, string>();
    for (const r of this.sql.stmt(`SELECT node_id, fact FROM derived_nodes WHERE rule = ?${this.scopeSql(scopes)}`).all(rule) as { node_id: string; fact: string }[]) nodes.set(r.node_id, r.fact);
    return { edges, nodes };
  }

  /**
   * Replaces what a rule made in some scopes (null: all) with `edges` (merged within the rule, each with the scope
   * it belongs to) and `claims`. `rank` orders rules (the run order), for edges and nodes several rules state;
   * `shares(kind)` says whether another rule can emit that kind (else no edge of it can be shared). Node ids whose
   * facts changed are added to `touched` (to materialise).
   */
  replaceRule(rule: string, scopes: readonly string[] | null, edges: readonly { edge: EdgeFact; scope: string }[], claims: readonly NodeClaim[], rank: (rule: string) => number, shares: (kind: EdgeKind) => boolean, touched: Set<string>): void {
    const journal = this.changes.journal;
    const where = this.scopeSql(scopes);
    // Edges: the rule's own rows go, its parts of shared rows come out (and those rows are put back together).
    const shared = this.sharedIds();
    const own = this.sql.stmt(`SELECT id FROM edge_rows WHERE derived = 1 AND rule = ?${where}`).pluck().all(rule) as number[];
    const del = this.sql.stmt('DELETE FROM edge_rows WHERE id = ? RETURNING id, src, dst, kind, evidence');
    const lists: (string | null)[] = [];
    for (const id of own) if (!shared.has(id)) journal.edgesRemoved(this.deleteRow(del, id, lists));
    this.evidence.release(lists);
    const partsOf = this.sql.stmt(`SELECT edge_id FROM derived_parts WHERE rule = ?${where}`).pluck().all(rule) as number[];
    for (const edgeId of partsOf) {
      this.sql.stmt('DELETE FROM derived_parts WHERE edge_id = ? AND rule = ?').run(edgeId, rule);
      this.remerge(edgeId, rank);
    }
    for (const { edge, scope } of edges) {
      const existing = shares(edge.kind) ? this.findRow(edge) : undefined;
      if (!existing) {
        this.insertRow({ edge, parts: [{ rule, scope, props: edge.props ?? {} }] });
        continue;
      }
      // Another rule states this edge too: from now on the row is the merge of their parts.
      if (!existing.shared) this.sql.stmt('INSERT INTO derived_parts (edge_id, rule, scope, props) VALUES (?, ?, ?, ?)').run(existing.id, existing.rule, existing.scope, JSON.stringify(existing.props));
      this.sql.stmt('INSERT OR REPLACE INTO derived_parts (edge_id, rule, scope, props) VALUES (?, ?, ?, ?)').run(existing.id, rule, this.scopeNid(scope), JSON.stringify(edge.props ?? {}));
      this.remerge(existing.id, rank);
    }

    // Nodes: the rule's claims are replaced; each node concerned takes the first claim left, in rule order.
    const concerned = new Set(this.sql.stmt(`SELECT node_id FROM derived_nodes WHERE rule = ?${where}`).pluck().all(rule) as string[]);
    this.sql.stmt(`DELETE FROM derived_nodes WHERE rule = ?${where}`).run(rule);
    const insert = this.sql.stmt('INSERT OR REPLACE INTO derived_nodes (node_id, rule, scope, fact) VALUES (?, ?, ?, ?)');
    for (const c of claims) {
      insert.run(c.fact.id, rule, this.scopeNid(c.scope), JSON.stringify(c.fact));
      concerned.add(c.fact.id);
    }
    this.refreshDerivedFacts(concerned, rank, touched);
  }

  /** Findings of one rule in some scopes (null: all) replaced by `rows` (each with its scope). */
  replaceFindings(rule: string, scopes: readonly string[] | null, rows: readonly { row: FindingRow; scope: string }[]): void {
    this.sql.stmt(`DELETE FROM findings WHERE rule = ?${this.scopeSql(scopes)}`).run(rule);
    const ins = this.sql.stmt('INSERT OR REPLACE INTO findings (id, rule, severity, node_id, title, summary, evidence, remediation, shared_remediation, scope, origin, form) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)');
    const shared = new SharedRemediations(this.sql);
    for (const { row: f, scope } of rows) {
      const isShared = shared.share(f);
      ins.run(f.id, f.rule, f.severity, f.nodeId, ...findingText(f), isShared ? '' : f.remediation, isShared ? 1 : 0, this.scopeNid(scope), f.origin ? JSON.stringify(f.origin) : null, f.form ? JSON.stringify(f.form) : null);
    }
    shared.write();
  }

  /** Every finding of a run of all rules (the table emptied first). */
  replaceAllFindings(rows: readonly { row: FindingRow; scope: string }[]): void {
    this.sql.stmt('DELETE FROM findings').run();
    // Tens of thousands in a large case: several rows per statement.
    const batch = new RowBatch(this.sql, 'INSERT OR REPLACE INTO findings (id, rule, severity, node_id, title, summary, evidence, remediation, shared_remediation, scope, origin, form)', '(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)');
    const shared = new SharedRemediations(this.sql);
    // Each id's last row only, as INSERT OR REPLACE would leave them (in the order written): the unique index on
    // id may be suspended while they are written (CaseStore.replaceAllFindings).
    const last = new Map<string, number>();
    for (let i = 0; i < rows.length; i++) last.set(rows[i]!.row.id, i);
    const replaced = last.size < rows.length;
    for (let i = 0; i < rows.length; i++) {
      const { row: f, scope } = rows[i]!;
      const isShared = shared.share(f);
      const scopeNid = this.scopeNid(scope);
      if (replaced && last.get(f.id) !== i) continue;
      // A finding made from a form stores the form, not its text (migration 0015).
      batch.push(f.id, f.rule, f.severity, f.nodeId, ...findingText(f), isShared ? '' : f.remediation, isShared ? 1 : 0, scopeNid, f.origin ? JSON.stringify(f.origin) : null, f.form ? JSON.stringify(f.form) : null);
    }
    batch.flush();
    shared.write();
  }

  /** The findings made from posture-scanner results (those with an origin) replaced by `rows`. */
  replaceScannerFindings(rows: readonly FindingRow[]): void {
    this.sql.stmt('DELETE FROM findings WHERE origin IS NOT NULL').run();
    this.replaceFindingsRows(rows);
  }
  private replaceFindingsRows(rows: readonly FindingRow[]): void {
    const ins = this.sql.stmt('INSERT OR REPLACE INTO findings (id, rule, severity, node_id, title, summary, evidence, remediation, scope, origin, form) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?)');
    for (const f of rows) ins.run(f.id, f.rule, f.severity, f.nodeId, ...findingText(f), f.remediation, f.origin ? JSON.stringify(f.origin) : null, f.form ? JSON.stringify(f.form) : null);
  }

  // --- what a rule running now may see -------------------------------------------------------------------------

  /** Ids of derived edge rows several rules state. */
  sharedIds(): Set<number> {
    return new Set(this.sql.stmt('SELECT DISTINCT edge_id FROM derived_parts').pluck().all() as number[]);
  }

  /** The parts of a shared row. */
  parts(edgeId: number): DerivedPart[] {
    return (this.sql.stmt('SELECT p.rule, n.id AS scope, p.props FROM derived_parts p LEFT JOIN node_ids n ON n.nid = p.scope WHERE p.edge_id = ?').all(edgeId) as { rule: string; scope: string | null; props: string }[]).map((r) => ({
      rule: r.rule,
      scope: r.scope ?? '',
      props: JSON.parse(r.props) as EdgeProps,
    }));
  }

  /** Derived node ids with the rules that claim them. */
  claims(): Map<string, string[]> {
    const out = new Map<string, string[]>();
    for (const [id, rule] of this.sql.stmt('SELECT node_id, rule FROM derived_nodes').raw().all() as [string, string][]) {
      const list = out.get(id);
      if (list) list.push(rule);
      else out.set(id, [rule]);
    }
    return out;
  }

  // --- rows ----------------------------------------------------------------------------------------------------

  private insertRow(row: DerivedRow): void {
    const { edge, parts } = row;
    if (!isEdgeKind(edge.kind)) throw new Error(`unknown edge kind '${String(edge.kind)}' from ${edge.from}`);
    const code = this.kinds.code(edge.kind);
    const batch = this.batch;
    // Inside writeAll a run of rows often leaves one node (a grant's subject, the nodes of a cluster) in one scope: numbered once.
    let src: number;
    if (batch && batch.from === edge.from) src = batch.src;
    else {
      src = this.nids.nid(edge.from);
      if (batch) {
        batch.from = edge.from;
        batch.src = src;
      }
    }
    const dst = this.nids.nid(edge.to);
    const owner = parts[0]!;
    let scope: number;
    if (batch && batch.scope === owner.scope) scope = batch.scopeNid;
    else {
      scope = this.scopeNid(owner.scope);
      if (batch) {
        batch.scope = owner.scope;
        batch.scopeNid = scope;
      }
    }
    const p = edge.props ?? {};
    // A row of one rule keeps its evidence in the evidence table (pieces shared by its edges, dropped with them);
    // a shared row keeps it inline, since its parts come and go with different rules.
    const single = parts.length === 1 && Array.isArray(p.evidence) && p.evidence.length > 0;
    // Inside writeAll nothing changes the props written, so a run of rows may share one JSON.
    const props = single ? (this.batch ? this.propsJson(p) : JSON.stringify({ ...p, evidence: undefined })) : JSON.stringify(p);
    const refs = single ? this.evidence.refs(p.evidence!) : null;
    const firstSeen = p.firstSeen ?? null;
    const lastSeen = p.lastSeen ?? null;
    const conditional = p.conditional ? 1 : 0;
    let id: number;
    if (batch) {
      id = batch.next++;
      batch.rows.push(id, src, dst, code, conditional, firstSeen, lastSeen, props, refs, owner.rule, scope);
    } else {
      id = this.sql
        .stmt('INSERT INTO edge_rows (src, dst, kind, source_id, derived, conditional, first_seen, last_seen, props, evidence, rule, scope) VALUES (?, ?, ?, NULL, 1, ?, ?, ?, ?, ?, ?, ?)')
        .run(src, dst, code, conditional, firstSeen, lastSeen, props, refs, owner.rule, scope).lastInsertRowid as number;
    }
    this.changes.journal.edgeAdded(id, src, dst, code, Boolean(p.conditional), firstSeen, lastSeen, typeof p.accessLevel === 'string' ? p.accessLevel : null);
    if (parts.length > 1) {
      const ins = this.sql.stmt('INSERT INTO derived_parts (edge_id, rule, scope, props) VALUES (?, ?, ?, ?)');
      for (const part of parts) ins.run(id, part.rule, this.scopeNid(part.scope), JSON.stringify(part.props));
    }
  }

  /** The props and JSON (evidence left out) of the last row written: a rule's edges come in runs that differ only by their evidence. */
  private lastProps: { props: EdgeProps; keys: string[]; json: string } | undefined;

  /** JSON of props without their evidence; the last row's when every other value is the same (===) in the same key order. */
  private propsJson(p: EdgeProps): string {
    const keys = Object.keys(p);
    const last = this.lastProps;
    if (last && sameButEvidence(last.props, last.keys, p, keys)) return last.json;
    const json = JSON.stringify({ ...p, evidence: undefined });
    this.lastProps = { props: p, keys, json };
    return json;
  }

  /** The derived row with the same key as `edge`, with its owner and props (evidence expanded). */
  private findRow(edge: EdgeFact): { id: number; rule: string; scope: number; props: EdgeProps; shared: boolean } | undefined {
    const src = this.nids.lookup(edge.from);
    const dst = this.nids.lookup(edge.to);
    const code = this.kinds.find(edge.kind);
    if (src === undefined || dst === undefined || code === undefined) return undefined;
    const technique = edge.props?.technique;
    for (const r of this.sql.stmt('SELECT id, rule, scope, props, evidence FROM edge_rows WHERE src = ? AND dst = ? AND +kind = ? AND derived = 1').all(src, dst, code) as { id: number; rule: string; scope: number; props: string; evidence: string | null }[]) {
      const props = JSON.parse(r.props) as EdgeProps;
      if ((typeof props.technique === 'string' ? props.technique : '') !== (typeof technique === 'string' ? technique : '')) continue;
      if (r.evidence !== null) props.evidence = this.evidence.pieces(r.evidence);
      const shared = this.sql.stmt('SELECT 1 FROM derived_parts WHERE edge_id = ? LIMIT 1').pluck().get(r.id) !== undefined;
      return { id: r.id, rule: r.rule, scope: r.scope, props, shared };
    }
    return undefined;
  }

  /** A shared row rewritten from the parts it has left (gone with none; a plain row with one). */
  private remerge(edgeId: number, rank: (rule: string) => number): void {
    const row = this.sql.stmt('SELECT e.id, s.id AS src, d.id AS dst, e.kind FROM edge_rows e JOIN node_ids s ON s.nid = e.src JOIN node_ids d ON d.nid = e.dst WHERE e.id = ?').get(edgeId) as { src: string; dst: string; kind: number } | undefined;
    const parts = this.parts(edgeId).sort((a, b) => rank(a.rule) - rank(b.rule));
    this.sql.stmt('DELETE FROM derived_parts WHERE edge_id = ?').run(edgeId);
    const lists: (string | null)[] = [];
    this.changes.journal.edgesRemoved(this.deleteRow(this.sql.stmt('DELETE FROM edge_rows WHERE id = ? RETURNING id, src, dst, kind, evidence'), edgeId, lists));
    this.evidence.release(lists);
    if (!row || parts.length === 0) return;
    const kind = this.kinds.kindOf(row.kind);
    this.insertRow({ edge: { from: row.src, to: row.dst, kind, props: mergeParts(parts) }, parts });
  }

  /** Deletes a row (with `stmt`, which returns it and its evidence list), adding its evidence list to `lists` (to release). */
  private deleteRow(stmt: Statement, id: number, lists: (string | null)[]): [number, number, number, number][] {
    const rows = stmt.raw().all(id) as [number, number, number, number, string | null][];
    for (const r of rows) lists.push(r[4]);
    return rows.map((r) => [r[0], r[1], r[2], r[3]]);
  }

  /** Each node's derived fact is its first claim in rule order (none: the fact goes). */
  private refreshDerivedFacts(ids: Iterable<string>, rank: (rule: string) => number, touched: Set<string>): void {
    const claimsOf = this.sql.stmt('SELECT rule, fact FROM derived_nodes WHERE node_id = ?');
    const facts: NodeFact[] = [];
    for (const id of ids) {
      const claims = (claimsOf.all(id) as { rule: string; fact: string }[]).sort((a, b) => rank(a.rule) - rank(b.rule));
      this.removeDerivedFact(id, touched);
      if (claims.length) facts.push(JSON.parse(claims[0]!.fact) as NodeFact);
    }
    if (facts.length) this.facts.writeFragment(DERIVED_SOURCE, { nodes: facts, edges: [], warnings: [] }, touched);
  }

  /** Takes the source-0 fact of a node away (its solo row, or its fact among others). */
  private removeDerivedFact(id: string, touched: Set<string>): void {
    const journal = this.changes.journal;
    for (const [nid, kind, boundary, nodeId] of this.search.deleteNodes('id = ? AND solo_source = ?', id, DERIVED_SOURCE)) journal.nodeDeleted(nid, { kind, boundary, id: nodeId });
    if (this.sql.stmt('DELETE FROM node_facts WHERE node_id = ? AND source_id = ?').run(id, DERIVED_SOURCE).changes) touched.add(id);
  }
}

/**
 * Whether two props objects have the same keys in the same order and the same values (===) but for `evidence`. Values
 * are strings, numbers, booleans or objects a rule shares between edges: nothing changes them while rows are written.
 */
function sameButEvidence(a: EdgeProps, aKeys: readonly string[], b: EdgeProps, bKeys: readonly string[]): boolean {
  if (a === b) return true;
  if (aKeys.length !== bKeys.length) return false;
  for (let i = 0; i < aKeys.length; i++) {
    const k = aKeys[i]!;
    if (k !== bKeys[i] || (k !== 'evidence' && a[k] !== b[k])) return false;
  }
  return true;
}

/**
 * The remediation texts of posture rules, stored once per rule (migration 0014): a finding of a rule (not of a
 * scanner) whose text is its rule's is stored without it. The first finding of a rule in a write names the text.
 */
class SharedRemediations {
  private readonly texts = new Map<string, string>();
  constructor(private readonly sql: Sql) {}

  /** Whether the finding's remediation is its rule's shared text (then stored once, by write()). */
  share(f: FindingRow): boolean {
    if (f.origin) return false;
    const text = this.texts.get(f.rule);
    if (text === undefined) {
      this.texts.set(f.rule, f.remediation);
      return true;
    }
    return text === f.remediation;
  }

  write(): void {
    const put = this.sql.stmt('INSERT OR REPLACE INTO finding_remediations (rule, text) VALUES (?, ?)');
    for (const [rule, text] of this.texts) put.run(rule, text);
  }
}

/** Evidence pieces as stored JSON compares them: the same pieces, the same text. */
export function evidenceJson(evidence: readonly Evidence[] | undefined): string {
  return JSON.stringify(evidence ?? []);
}
