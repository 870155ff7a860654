import type { Migration } from './types.js';

export const migration0013: Migration = {
  version: 13,
  name: 'workspace: named saved views of the explorer and the containment checklist state, kept in the case',
  up(db) {
    db.exec(`
      -- A saved view is the explorer's canvas as the user left it (mode, nodes, filters, analysis, viewport), as JSON
      -- the renderer reads back; the engine does not interpret it.
      CREATE TABLE saved_views (
        name     TEXT PRIMARY KEY,
        state    TEXT NOT NULL,
        saved_at TEXT NOT NULL
      );
      -- Which cuts of a containment plan the responder has done. A cut is named by its step ("<from> <kind> <to>"),
      -- not by an edge row id: derived edges are rebuilt by every import.
      CREATE TABLE containment_checks (
        origin  TEXT NOT NULL,
        cut     TEXT NOT NULL,
        checked INTEGER NOT NULL,
        by      TEXT NOT NULL,
        at      TEXT NOT NULL,
        PRIMARY KEY (origin, cut)
      );
    `);
  },
};
