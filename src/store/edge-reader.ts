import type { EdgeProps } from '../model/fragment.js';
import { EDGE_KINDS, type EdgeKind } from '../model/kinds.js';
import type { AliasIndex } from './aliases.js';
import type { EvidenceTable } from './evidence.js';
import type { EdgeKinds, NodeIds } from './node-ids.js';
import type { EdgeRowRaw } from './rows.js';
import type { Sql } from './sql.js';
import type { StoredEdge } from './types.js';

const TRAVERSABLE_KINDS = (Object.keys(EDGE_KINDS) as EdgeKind[]).filter((k) => EDGE_KINDS[k].traversable);

/** An edge row with its ends' ids joined in (edge_rows hold numbers). */
const SELECT_EDGE = `SELECT e.id, s.id AS src, d.id AS dst, e.kind, e.source_id, e.derived, e.conditional, e.first_seen, e.last_seen, e.props, e.evidence, e.rule
  FROM edge_rows e JOIN node_ids s ON s.nid = e.src JOIN node_ids d ON d.nid = e.dst`;

/** SELECT_EDGE's columns as an array. */
/** An edge row read as an array (the rule only where the query asks for it). */
type EdgeRowArray = [id: number, src: string, dst: string, kind: number, sourceId: number | null, derived: number, conditional: number, firstSeen: string | null, lastSeen: string | null, props: string, evidence: string | null, rule?: string | null];
type EdgeRowCoded = Omit<EdgeRowRaw, 'kind'> & { kind: number; rule: string | null };

/** Reads edges with their endpoints resolved through aliases and their shared evidence filled in. */
export class EdgeReader {
  constructor(
    private readonly sql: Sql,
    private readonly aliases: AliasIndex,
    private readonly evidence: EvidenceTable,
    private readonly nids: NodeIds,
    private readonly kinds: EdgeKinds,
  ) {}

  /** Edges leaving (or entering) a node, optionally of one kind, with aliases resolved. */
  edgesOf(id: string, direction: 'out' | 'in', limit = 10_000, kind?: EdgeKind): StoredEdge[] {
    const col = direction === 'out' ? 'src' : 'dst';
    const canonical = this.aliases.canonical(id);
    const code = kind === undefined ? undefined : this.kinds.find(kind);
    if (kind !== undefined && code === undefined) return [];
    const q = code !== undefined ? this.sql.stmt(`${SELECT_EDGE} WHERE e.${col} = ? AND +e.kind = ? LIMIT ?`) : this.sql.stmt(`${SELECT_EDGE} WHERE e.${col} = ? LIMIT ?`);
    const rows: EdgeRowCoded[] = [];
    for (const name of [canonical, ...this.aliases.aliasesOf(canonical)]) {
      const nid = this.nids.lookup(name);
      if (nid === undefined) continue;
      rows.push(...((code !== undefined ? q.all(nid, code, limit + 1) : q.all(nid, limit + 1)) as EdgeRowCoded[]));
      if (rows.length > limit) break;
    }
    return rows.slice(0, limit + 1).map((r) => this.toEdge(r));
  }

  edge(id: number): StoredEdge | undefined {
    const row = this.sql.stmt(`${SELECT_EDGE} WHERE e.id = ?`).get(id) as EdgeRowCoded | undefined;
    return row ? this.toEdge(row) : undefined;
  }

  *edgesOfKind(kind: EdgeKind): IterableIterator<StoredEdge> {
    const code = this.kinds.find(kind);
    if (code === undefined) return;
    // Rows as arrays, and the kind the one asked for: a derivation reads every binding of a cluster.
    const q = this.sql.stmt(`${SELECT_EDGE} WHERE e.kind = ?`).raw(true);
    for (const r of q.iterate(code) as Iterable<EdgeRowArray>) yield this.arrayToEdge(r, kind);
  }

  /**
   * The ends of a kind's edges, aliases resolved, in edgesOfKind's order (the same query): a stated edge as its two
   * ids, without building the edge or parsing its props; a derived one in full (who may see it depends on its rule).
   */
  *edgeEndsOfKind(kind: EdgeKind): IterableIterator<[src: string, dst: string] | StoredEdge> {
    const code = this.kinds.find(kind);
    if (code === undefined) return;
    const aliases = this.aliases.map();
    // Only the ends and whether the row is derived (same join and filter, so the same plan and order): reading every
    // row's props and evidence too was twice the time for a credential import's tens of thousands of keys.
    const q = this.sql.stmt('SELECT s.id, d.id, e.derived, e.id FROM edge_rows e JOIN node_ids s ON s.nid = e.src JOIN node_ids d ON d.nid = e.dst WHERE e.kind = ?').raw(true);
    // As edge()'s query, but its own statement (raw mode is a setting of the cached statement).
    const full = this.sql.stmt(`${SELECT_EDGE} WHERE e.id = ? AND e.derived = 1`).raw(true);
    for (const r of q.iterate(code) as Iterable<[src: string, dst: string, derived: number, id: number]>) {
      if (r[2] === 1) yield this.arrayToEdge(full.get(r[3]) as EdgeRowArray, kind);
      else yield [aliases.get(r[0]) ?? r[0], aliases.get(r[1]) ?? r[1]];
    }
  }

  /**
   * Edges of a kind with an end in some scopes. Through the ends' nodes when the case has no aliases (then a few
   * clusters of a large case cost what they hold); else every edge of the kind, filtered.
   */
  *edgesOfKindIn(kind: EdgeKind, scopes: readonly string[], scopeOfId: (id: string) => string): IterableIterator<StoredEdge> {
    const code = this.kinds.find(kind);
    if (code === undefined) return;
    const wanted = new Set(scopes);
    const named = scopes.filter(Boolean);
    if (this.aliases.map().size > 0 || named.length < scopes.length) {
      for (const e of this.edgesOfKind(kind)) if (wanted.has(scopeOfId(e.src)) || wanted.has(scopeOfId(e.dst))) yield e;
      return;
    }
    const list = named.map(() => '?').join(',');
    const seen = new Set<number>();
    for (const end of ['src', 'dst'] as const) {
      for (const sql of [`SELECT rowid FROM nodes WHERE boundary IN (${list})`, `SELECT rowid FROM nodes WHERE id IN (${list}) AND boundary IS NULL`]) {
        const q = this.sql.stmt(`${SELECT_EDGE} WHERE e.${end} IN (${sql}) AND +e.kind = ?`);
        for (const r of q.iterate(...named, code) as Iterable<EdgeRowCoded>) {
          if (seen.has(r.id)) continue;
          seen.add(r.id);
          yield this.toEdge(r);
        }
      }
    }
  }

  /** Edges of several kinds (by the kind index of edge_rows). */
  *edgesOfKinds(kinds: readonly EdgeKind[]): IterableIterator<StoredEdge> {
    const codes = kinds.map((k) => this.kinds.find(k)).filter((c): c is number => c !== undefined);
    if (!codes.length) return;
    for (const row of this.sql.stmt(`${SELECT_EDGE} WHERE e.kind IN (${codes.join(',')})`).iterate() as Iterable<EdgeRowCoded>) yield this.toEdge(row);
  }

  /** Every edge an attacker can walk, in a compact form for graph indexes (props not parsed). */
  *traversableEdges(): IterableIterator<{ id: number; src: string; dst: string; kind: EdgeKind; conditional: boolean; derived: boolean }> {
    const aliases = this.aliases.map();
    const codes = this.traversableCodes();
    if (!codes.length) return;
    const q = this.sql.db.prepare(`SELECT e.id, s.id, d.id, e.kind, e.conditional, e.derived FROM edge_rows e JOIN node_ids s ON s.nid = e.src JOIN node_ids d ON d.nid = e.dst WHERE e.kind IN (${codes.join(',')})`).raw();
    for (const r of q.iterate() as Iterable<[number, string, string, number, number, number]>) {
      yield { id: r[0], src: aliases.get(r[1]) ?? r[1], dst: aliases.get(r[2]) ?? r[2], kind: this.kinds.kindOf(r[3]), conditional: r[4] === 1, derived: r[5] === 1 };
    }
  }

  /**
   * Every traversable edge as the graph index is built from it, in row order: its number, its ends' numbers (not
   * alias-resolved), kind code, conditional flag, observed times, and a CAN_ACCESS edge's access level.
   */
  graphEdges(): IterableIterator<[id: number, src: number, dst: number, kind: number, conditional: number, firstSeen: string | null, lastSeen: string | null, accessLevel: string | null]> {
    const codes = this.traversableCodes();
    if (!codes.length) return [][Symbol.iterator]();
    const access = this.kinds.find('CAN_ACCESS') ?? -1;
    // `+kind`: a scan in row order, not the kind index followed by a sort of every row.
    return this.sql.db
      .prepare(
        `SELECT id, src, dst, kind, conditional, first_seen, last_seen, CASE WHEN kind = ${access} THEN json_extract(props, '$.accessLevel') END
         FROM edge_rows WHERE +kind IN (${codes.join(',')}) ORDER BY id`,
      )
      .raw()
      .iterate() as IterableIterator<[number, number, number, number, number, string | null, string | null, string | null]>;
  }

  /** Codes of the traversable kinds the case holds. */
  traversableCodes(): number[] {
    return TRAVERSABLE_KINDS.map((k) => this.kinds.find(k)).filter((c): c is number => c !== undefined);
  }

  /**
   * Every edge in id order, aliases resolved and shared evidence filled in (exports stream these). Rows are read as
   * arrays: a million-edge export spends a third less in SQLite's row step than with a column object per row.
   */
  *all(): IterableIterator<StoredEdge> {
    const q = this.sql.db.prepare(`SELECT e.id, s.id, d.id, e.kind, e.source_id, e.derived, e.conditional, e.first_seen, e.last_seen, e.props, e.evidence
      FROM edge_rows e JOIN node_ids s ON s.nid = e.src JOIN node_ids d ON d.nid = e.dst ORDER BY e.id`).raw();
    for (const r of q.iterate() as Iterable<EdgeRowArray>) yield this.arrayToEdge(r, this.kinds.kindOf(r[3]));
  }

  private arrayToEdge(r: EdgeRowArray, kind: EdgeKind): StoredEdge {
    const aliases = this.aliases.map();
    const props = JSON.parse(r[9]) as EdgeProps;
    return {
      id: r[0],
      src: aliases.get(r[1]) ?? r[1],
      dst: aliases.get(r[2]) ?? r[2],
      kind,
      sourceId: r[4],
      derived: r[5] === 1,
      conditional: r[6] === 1,
      firstSeen: r[7],
      lastSeen: r[8],
      props: r[10] === null ? props : { ...props, evidence: this.evidence.pieces(r[10]) },
      ...(r[11] != null && r[5] === 1 ? { rule: r[11] } : {}),
    };
  }

  private toEdge(r: EdgeRowCoded): StoredEdge {
    const aliases = this.aliases.map();
    return {
      id: r.id,
      src: aliases.get(r.src) ?? r.src,
      dst: aliases.get(r.dst) ?? r.dst,
      kind: this.kinds.kindOf(r.kind),
      sourceId: r.source_id,
      derived: r.derived === 1,
      conditional: r.conditional === 1,
      firstSeen: r.first_seen,
      lastSeen: r.last_seen,
      props: r.evidence === null ? (JSON.parse(r.props) as EdgeProps) : { ...(JSON.parse(r.props) as EdgeProps), evidence: this.evidence.pieces(r.evidence) },
      ...(r.rule !== null && r.derived === 1 ? { rule: r.rule } : {}),
    };
  }
}
