import type { Migration } from './types.js';

export const migration0018: Migration = {
  version: 18,
  name: 'node id indexes: the unique indexes on nodes.id and node_ids.id are named indexes, so a large load into a new case can build them once after writing',
  up(db) {
    db.exec(`
      -- nodes.id and node_ids.id were UNIQUE column constraints, whose indexes (autoindexes) cannot be dropped: a large
      -- import into a new case wrote every id into both one by one, at random places (ids come in file order), which
      -- cost more than writing the rows themselves. The same uniqueness is now a named index on each (ON CONFLICT(id)
      -- still finds it), which such a load drops and builds from sorted data after (BulkIndexes 'ids'). Rows keep
      -- their rowids (a node row's rowid is its number, which the search tables and edge rows cite).
      DROP VIEW edges;

      CREATE TABLE node_ids_0018 (
        nid INTEGER PRIMARY KEY,
        id  TEXT NOT NULL
      );
      INSERT INTO node_ids_0018 (nid, id) SELECT nid, id FROM node_ids ORDER BY nid;
      DROP TABLE node_ids;
      ALTER TABLE node_ids_0018 RENAME TO node_ids;
      CREATE UNIQUE INDEX node_ids_id ON node_ids(id);

      CREATE TABLE nodes_0018 (
        rowid    INTEGER PRIMARY KEY,
        id       TEXT NOT NULL,
        kind     TEXT NOT NULL,
        name     TEXT NOT NULL,
        stub     INTEGER NOT NULL DEFAULT 0,
        boundary TEXT,
        handles  TEXT NOT NULL DEFAULT '',
        props    TEXT NOT NULL DEFAULT '{}',
        sources  TEXT NOT NULL DEFAULT '[]',  -- source ids that state this node
        solo_source INTEGER                   -- the one source stating it, when it has no node_facts
      );
      INSERT INTO nodes_0018 (rowid, id, kind, name, stub, boundary, handles, props, sources, solo_source)
        SELECT rowid, id, kind, name, stub, boundary, handles, props, sources, solo_source FROM nodes ORDER BY rowid;
      DROP TABLE nodes;
      ALTER TABLE nodes_0018 RENAME TO nodes;
      CREATE UNIQUE INDEX nodes_id ON nodes(id);
      CREATE INDEX nodes_kind ON nodes(kind);
      CREATE INDEX nodes_solo ON nodes(solo_source) WHERE solo_source IS NOT NULL;
      CREATE INDEX nodes_boundary ON nodes(boundary);

      -- As migration 0012 defined it.
      CREATE VIEW edges AS
        SELECT e.id, s.id AS src, d.id AS dst, k.kind AS kind, e.source_id, e.derived, e.conditional,
               e.first_seen, e.last_seen, e.props, e.evidence
        FROM edge_rows e LEFT JOIN node_ids s ON s.nid = e.src LEFT JOIN node_ids d ON d.nid = e.dst
        LEFT JOIN edge_kinds k ON k.code = e.kind;
    `);
  },
};
