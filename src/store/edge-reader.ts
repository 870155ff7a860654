import type { EdgeProps } from '../model/fragment.js';
import { EDGE_KINDS, type EdgeKind } from '../model/kinds.js';
import type { AliasIndex } from './aliases.js';
import { STATEMENT_INDEX_KINDS } from './migrations/0011-state-snapshots.js';
import type { EvidenceTable } from './evidence.js';
import type { EdgeRowRaw } from './rows.js';
import type { Sql } from './sql.js';
import type { StoredEdge } from './types.js';

const TRAVERSABLE_KINDS = Object.entries(EDGE_KINDS)
  .filter(([, spec]) => spec.traversable)
  .map(([k]) => k);

/** Reads edges with their endpoints resolved through aliases and their shared evidence filled in. */
export class EdgeReader {
  constructor(
    private readonly sql: Sql,
    private readonly aliases: AliasIndex,
    private readonly evidence: EvidenceTable,
  ) {}

  /** Edges leaving (or entering) a node, optionally of one kind, with aliases resolved. */
  edgesOf(id: string, direction: 'out' | 'in', limit = 10_000, kind?: EdgeKind): StoredEdge[] {
    const col = direction === 'out' ? 'src' : 'dst';
    const canonical = this.aliases.canonical(id);
    const names = [canonical, ...this.aliases.aliasesOf(canonical)];
    const rows: EdgeRowRaw[] = [];
    const q = kind ? this.sql.stmt(`SELECT * FROM edges WHERE ${col} = ? AND kind = ? LIMIT ?`) : this.sql.stmt(`SELECT * FROM edges WHERE ${col} = ? LIMIT ?`);
    for (const name of names) rows.push(...((kind ? q.all(name, kind, limit + 1) : q.all(name, limit + 1)) as EdgeRowRaw[]));
    return rows.slice(0, limit + 1).map((r) => this.toEdge(r));
  }

  edge(id: number): StoredEdge | undefined {
    const row = this.sql.stmt('SELECT * FROM edges WHERE id = ?').get(id) as EdgeRowRaw | undefined;
    return row ? this.toEdge(row) : undefined;
  }

  *edgesOfKind(kind: EdgeKind): IterableIterator<StoredEdge> {
    for (const row of this.sql.stmt('SELECT * FROM edges WHERE kind = ?').iterate(kind) as Iterable<EdgeRowRaw>) yield this.toEdge(row);
  }

  /**
   * Edges of several kinds. The raw statement kinds have a partial index (migration 0011), which SQLite uses only for
   * a query naming exactly its kinds as literals; any other kind costs one scan of the table.
   */
  *edgesOfKinds(kinds: readonly EdgeKind[]): IterableIterator<StoredEdge> {
    const indexed: readonly string[] = STATEMENT_INDEX_KINDS;
    const literal = (list: readonly string[]) => list.map((k) => `'${k.replace(/'/g, "''")}'`).join(', ');
    if (kinds.some((k) => indexed.includes(k))) {
      const q = this.sql.stmt(`SELECT * FROM edges WHERE kind IN (${literal(indexed)})`);
      for (const row of q.iterate() as Iterable<EdgeRowRaw>) if (kinds.includes(row.kind as EdgeKind)) yield this.toEdge(row);
    }
    const rest = kinds.filter((k) => !indexed.includes(k));
    if (!rest.length) return;
    for (const row of this.sql.stmt(`SELECT * FROM edges WHERE kind IN (${literal(rest)})`).iterate() as Iterable<EdgeRowRaw>) yield this.toEdge(row);
  }

  /** Every edge an attacker can walk, in a compact form for graph indexes (props not parsed). */
  *traversableEdges(): IterableIterator<{ id: number; src: string; dst: string; kind: EdgeKind; conditional: boolean; derived: boolean }> {
    const aliases = this.aliases.map();
    const q = this.sql.db.prepare(`SELECT id, src, dst, kind, conditional, derived FROM edges WHERE kind IN (${TRAVERSABLE_KINDS.map(() => '?').join(',')})`);
    for (const r of q.iterate(...TRAVERSABLE_KINDS) as Iterable<{ id: number; src: string; dst: string; kind: EdgeKind; conditional: number; derived: number }>) {
      yield { id: r.id, src: aliases.get(r.src) ?? r.src, dst: aliases.get(r.dst) ?? r.dst, kind: r.kind, conditional: r.conditional === 1, derived: r.derived === 1 };
    }
  }

  /**
   * Every traversable edge in the compact form a graph index is built from: aliases resolved, props not parsed
   * except a CAN_ACCESS edge's access level.
   */
  *graphEdges(): IterableIterator<{ id: number; src: string; dst: string; kind: EdgeKind; conditional: boolean; firstSeen: string | null; lastSeen: string | null; accessLevel: string | null }> {
    const aliases = this.aliases.map();
    const q = this.sql.db
      .prepare(
        `SELECT id, src, dst, kind, conditional, first_seen, last_seen,
                CASE WHEN kind = 'CAN_ACCESS' THEN json_extract(props, '$.accessLevel') END
         FROM edges WHERE kind IN (${TRAVERSABLE_KINDS.map(() => '?').join(',')}) ORDER BY id`,
      )
      .raw();
    for (const r of q.iterate(...TRAVERSABLE_KINDS) as Iterable<[number, string, string, EdgeKind, number, string | null, string | null, string | null]>) {
      yield { id: r[0], src: aliases.get(r[1]) ?? r[1], dst: aliases.get(r[2]) ?? r[2], kind: r[3], conditional: r[4] === 1, firstSeen: r[5], lastSeen: r[6], accessLevel: r[7] };
    }
  }

  /**
   * Every edge in id order, aliases resolved and shared evidence filled in (exports stream these). Rows are read as
   * arrays: a million-edge export spends a third less in SQLite's row step than with a column object per row.
   */
  *all(): IterableIterator<StoredEdge> {
    const aliases = this.aliases.map();
    const q = this.sql.db.prepare('SELECT id, src, dst, kind, source_id, derived, conditional, first_seen, last_seen, props, evidence FROM edges ORDER BY id').raw();
    type Row = [number, string, string, string, number | null, number, number, string | null, string | null, string, string | null];
    for (const r of q.iterate() as Iterable<Row>) {
      const props = JSON.parse(r[9]) as EdgeProps;
      yield {
        id: r[0],
        src: aliases.get(r[1]) ?? r[1],
        dst: aliases.get(r[2]) ?? r[2],
        kind: r[3] as EdgeKind,
        sourceId: r[4],
        derived: r[5] === 1,
        conditional: r[6] === 1,
        firstSeen: r[7],
        lastSeen: r[8],
        props: r[10] === null ? props : { ...props, evidence: this.evidence.pieces(r[10]) },
      };
    }
  }

  private toEdge(r: EdgeRowRaw): StoredEdge {
    const aliases = this.aliases.map();
    return {
      id: r.id,
      src: aliases.get(r.src) ?? r.src,
      dst: aliases.get(r.dst) ?? r.dst,
      kind: r.kind as EdgeKind,
      sourceId: r.source_id,
      derived: r.derived === 1,
      conditional: r.conditional === 1,
      firstSeen: r.first_seen,
      lastSeen: r.last_seen,
      props: r.evidence === null ? (JSON.parse(r.props) as EdgeProps) : { ...(JSON.parse(r.props) as EdgeProps), evidence: this.evidence.pieces(r.evidence) },
    };
  }
}
