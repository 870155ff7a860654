import type { Migration } from './types.js';

export const migration0017: Migration = {
  version: 17,
  name: 'findings id index: the unique index on findings.id is a named index, so a run of all rules can build it once after writing',
  up(db) {
    db.exec(`
      -- findings.id was the PRIMARY KEY, whose index (an autoindex) cannot be dropped: a run of all rules wrote tens of
      -- thousands of rows into it one by one, at random places (ids are hashes), the most costly part of writing
      -- them. The same uniqueness is now a named index (INSERT OR REPLACE still replaces by id), which the bulk write
      -- drops with findings_node and findings_rule and builds from sorted data after. Rows keep their rowids, so they
      -- read in the same order.
      CREATE TABLE findings_0017 (
        id                 TEXT NOT NULL,
        rule               TEXT NOT NULL,
        severity           TEXT NOT NULL,
        node_id            TEXT NOT NULL,
        title              TEXT NOT NULL,
        summary            TEXT NOT NULL,
        evidence           TEXT NOT NULL DEFAULT '[]',
        remediation        TEXT NOT NULL DEFAULT '',
        origin             TEXT,
        scope              INTEGER NOT NULL DEFAULT 0,
        shared_remediation INTEGER NOT NULL DEFAULT 0,
        form               TEXT
      );
      INSERT INTO findings_0017 (rowid, id, rule, severity, node_id, title, summary, evidence, remediation, origin, scope, shared_remediation, form)
        SELECT rowid, id, rule, severity, node_id, title, summary, evidence, remediation, origin, scope, shared_remediation, form FROM findings ORDER BY rowid;
      DROP TABLE findings;
      ALTER TABLE findings_0017 RENAME TO findings;
      CREATE UNIQUE INDEX findings_id ON findings(id);
      CREATE INDEX findings_node ON findings(node_id);
      CREATE INDEX findings_rule ON findings(rule, scope);
    `);
  },
};
