import type { Migration } from './types.js';

export const migration0012: Migration = {
  version: 12,
  name: 'integer edges: node ids and edge kinds numbered once, edges as numbers; what each rule derived, for incremental derivation',
  up(db) {
    db.exec(`
      -- Every id a node or an edge names gets a number, once (never reused). A node's row in nodes has that
      -- number as its rowid, so the graph index is addressed by it and needs no map of strings.
      CREATE TABLE node_ids (
        nid INTEGER PRIMARY KEY,
        id  TEXT NOT NULL UNIQUE
      );
      INSERT INTO node_ids (nid, id) SELECT rowid, id FROM nodes;
      INSERT OR IGNORE INTO node_ids (id) SELECT src FROM edges;
      INSERT OR IGNORE INTO node_ids (id) SELECT dst FROM edges;

      CREATE TABLE edge_kinds (
        code INTEGER PRIMARY KEY,
        kind TEXT NOT NULL UNIQUE
      );
      INSERT INTO edge_kinds (kind) SELECT DISTINCT kind FROM edges ORDER BY kind;

      -- Edges by number: src and dst are node_ids.nid, kind is edge_kinds.code. Derived edges (derived = 1) name
      -- the rule that first emitted them and the scope (the nid of a boundary, 0 for the whole case) it ran
      -- over, so a rule that runs again replaces exactly its own rows.
      CREATE TABLE edge_rows (
        id          INTEGER PRIMARY KEY,
        src         INTEGER NOT NULL,
        dst         INTEGER NOT NULL,
        kind        INTEGER NOT NULL,
        source_id   INTEGER,
        derived     INTEGER NOT NULL DEFAULT 0,
        conditional INTEGER NOT NULL DEFAULT 0,
        first_seen  TEXT,
        last_seen   TEXT,
        props       TEXT NOT NULL DEFAULT '{}',
        evidence    TEXT,
        rule        TEXT,
        scope       INTEGER
      );
      INSERT INTO edge_rows (id, src, dst, kind, source_id, derived, conditional, first_seen, last_seen, props, evidence)
        SELECT e.id, s.nid, d.nid, k.code, e.source_id, e.derived, e.conditional, e.first_seen, e.last_seen, e.props, e.evidence
        FROM edges e JOIN node_ids s ON s.id = e.src JOIN node_ids d ON d.id = e.dst JOIN edge_kinds k ON k.kind = e.kind;
      -- Dropping the table drops its indexes too (0011's edges_statements): edge_rows_kind serves reads by kind.
      DROP TABLE edges;
      CREATE INDEX edge_rows_src ON edge_rows(src);
      CREATE INDEX edge_rows_dst ON edge_rows(dst);
      CREATE INDEX edge_rows_kind ON edge_rows(kind);
      CREATE INDEX edge_rows_rule ON edge_rows(rule, scope) WHERE derived = 1;

      -- Reading by id, as before: SQL written against the old table keeps working.
      CREATE VIEW edges AS
        SELECT e.id, s.id AS src, d.id AS dst, k.kind AS kind, e.source_id, e.derived, e.conditional,
               e.first_seen, e.last_seen, e.props, e.evidence
        FROM edge_rows e LEFT JOIN node_ids s ON s.nid = e.src LEFT JOIN node_ids d ON d.nid = e.dst
        LEFT JOIN edge_kinds k ON k.code = e.kind;

      -- What derivation rules made besides edges, by rule and scope. A derived node is each rule's claim to it (the
      -- node as that rule states it; the first rule in run order is the one in node_facts). An edge two rules emit
      -- is one row; the part each rule stated is kept here (only for such edges, with its evidence inline), so one
      -- of them running again can take its part out and put the edge back together.
      CREATE TABLE derived_nodes (
        node_id TEXT NOT NULL,
        rule    TEXT NOT NULL,
        scope   INTEGER NOT NULL,
        fact    TEXT NOT NULL,
        PRIMARY KEY (node_id, rule)
      ) WITHOUT ROWID;
      CREATE INDEX derived_nodes_rule ON derived_nodes(rule, scope);
      CREATE TABLE derived_parts (
        edge_id  INTEGER NOT NULL,
        rule     TEXT NOT NULL,
        scope    INTEGER NOT NULL,
        props    TEXT NOT NULL,
        PRIMARY KEY (edge_id, rule)
      ) WITHOUT ROWID;
      CREATE INDEX derived_parts_rule ON derived_parts(rule, scope);
      ALTER TABLE evidence ADD COLUMN rule TEXT;
      ALTER TABLE evidence ADD COLUMN scope INTEGER;
      CREATE INDEX evidence_rule ON evidence(rule, scope);
      ALTER TABLE findings ADD COLUMN scope INTEGER NOT NULL DEFAULT 0;
      CREATE INDEX findings_rule ON findings(rule, scope);

      -- The old snapshot format is not read any more; the next import or query builds the new one.
      DELETE FROM graph_snapshot;
    `);
  },
};
