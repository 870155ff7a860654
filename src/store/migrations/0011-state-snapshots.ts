import type { Migration } from './types.js';

/** The raw statements a diff reads (edges without an index on kind would be a full scan per diff). */
export const STATEMENT_INDEX_KINDS = ['TRUSTS', 'HAS_ROLE', 'OWNS', 'FEDERATION_REFUSED'] as const;

export const migration0011: Migration = {
  version: 11,
  name: 'state snapshots: the graph state before a re-import replaced sources, kept for `blastmap diff --case`',
  up(db) {
    db.exec(`
      -- A re-import replaces what the earlier import of the same file brought, so the earlier state is gone once it
      -- commits. Before it replaces anything, the import saves the case's graph state here (graph index, raw trust
      -- and binding statements, credential status, findings, marks, sources), compressed; \`blastmap snapshot\`
      -- saves one on request. Automatic snapshots beyond the newest few are dropped; requested ones are kept.
      CREATE TABLE state_snapshots (
        id       INTEGER PRIMARY KEY,
        taken_at TEXT NOT NULL,
        label    TEXT NOT NULL,
        auto     INTEGER NOT NULL DEFAULT 0,
        replaced TEXT NOT NULL DEFAULT '[]',  -- JSON: the sources the import replaced ({id, fileName, importedAt})
        counts   TEXT NOT NULL DEFAULT '{}',  -- JSON: {nodes, edges, findings}
        data     BLOB NOT NULL
      );
      -- Partial: only statement rows are indexed, so imports of millions of grants pay nothing for it.
      CREATE INDEX edges_statements ON edges(kind) WHERE kind IN (${STATEMENT_INDEX_KINDS.map((k) => `'${k}'`).join(', ')});
    `);
  },
};
