import type { Migration } from './types.js';

export const migration0002: Migration = {
  version: 2,
  name: 'graph index snapshot: the CSR adjacency of traversable edges, saved so a large case opens query-ready',
  up(db) {
    db.exec(`
      -- One row: the serialised graph index and the stamp of the edges it was built from. An import deletes it
      -- (inside its transaction); the next query rebuilds and saves it.
      CREATE TABLE graph_snapshot (
        id    INTEGER PRIMARY KEY CHECK (id = 1),
        stamp TEXT NOT NULL,
        data  BLOB NOT NULL
      );
    `);
  },
};
