import type { Migration } from './types.js';

export const migration0003: Migration = {
  version: 3,
  name: 'shared evidence: derived edges name their evidence pieces instead of repeating them',
  up(db) {
    db.exec(`
      -- A grant reaches many targets: one RoleBinding that allows creating pods makes an edge to every service
      -- account of its namespace, each citing the same binding and rules. Derived edges store those pieces once
      -- here and list their ids in edges.evidence (comma-separated, in order); NULL means the evidence, if any,
      -- is inside edges.props. Cleared with the derived edges.
      CREATE TABLE evidence (
        id   INTEGER PRIMARY KEY,
        json TEXT NOT NULL
      );
      ALTER TABLE edges ADD COLUMN evidence TEXT;
    `);
  },
};
