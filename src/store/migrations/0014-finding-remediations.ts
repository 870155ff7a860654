import type { Migration } from './types.js';

export const migration0014: Migration = {
  version: 14,
  name: 'finding remediations: the remediation text of a posture rule stored once, not on each of its findings',
  up(db) {
    db.exec(`
      -- A rule's remediation is the same text on every finding it makes (tens of thousands in a large case). Rows
      -- with shared_remediation = 1 leave their remediation empty and read the rule's text here; other rows (those
      -- of posture scanners, and rows written before this migration) keep their own.
      CREATE TABLE finding_remediations (
        rule TEXT PRIMARY KEY,
        text TEXT NOT NULL
      );
      ALTER TABLE findings ADD COLUMN shared_remediation INTEGER NOT NULL DEFAULT 0;
    `);
  },
};
