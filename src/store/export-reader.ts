import type { AliasIndex } from './aliases.js';
import type { Sql } from './sql.js';

/**
 * Whole-case reads for exports (tables, interchange formats, encrypted packs): every row in a stable order, one at a
 * time, so a million-edge case streams out without being held in memory.
 */
export class ExportReader {
  constructor(
    private readonly sql: Sql,
    private readonly aliases: AliasIndex,
  ) {}

  /**
   * Ids that edges name (aliases resolved) but no node row describes: an exporter that must name every endpoint
   * (Neo4j, GraphML) writes them as stub nodes. One SQL pass; usually empty.
   */
  danglingEndpoints(): string[] {
    const map = this.aliases.map();
    const out = new Set<string>();
    const q = this.sql.db
      .prepare(
        `SELECT id FROM (SELECT src AS id FROM edges UNION SELECT dst AS id FROM edges)
         WHERE id NOT IN (SELECT id FROM nodes)`,
      )
      .pluck();
    const has = this.sql.stmt('SELECT 1 FROM nodes WHERE id = ?').pluck();
    for (const id of q.iterate() as Iterable<string>) {
      const canonical = map.get(id) ?? id;
      if (canonical === id || has.get(canonical) === undefined) out.add(canonical);
    }
    return [...out].sort();
  }

  /** Counts a report's "method and limits" states: conditional and derived edges, stub nodes, external boundaries. */
  stats(): { conditionalEdges: number; derivedEdges: number; stubNodes: number; externalBoundaries: number } {
    const n = (sql: string) => this.sql.stmt(sql).pluck().get() as number;
    return {
      conditionalEdges: n('SELECT count(*) FROM edges WHERE conditional = 1'),
      derivedEdges: n('SELECT count(*) FROM edges WHERE derived = 1'),
      stubNodes: n('SELECT count(*) FROM nodes WHERE stub = 1'),
      externalBoundaries: n("SELECT count(*) FROM nodes WHERE kind = 'aws_external_account'"),
    };
  }

  /**
   * A consistent, compact copy of the case in one file (WAL folded in, free pages dropped), written by SQLite's
   * VACUUM INTO: other connections may keep writing meanwhile. The target must not exist.
   */
  copyTo(path: string): void {
    this.sql.db.prepare('VACUUM INTO ?').run(path);
  }
}
