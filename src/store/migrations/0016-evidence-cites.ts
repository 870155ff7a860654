import type { Migration } from './types.js';

export const migration0016: Migration = {
  version: 16,
  name: 'evidence cites: a piece of evidence shared by the rules that cite it, kept while a row cites it',
  up(db) {
    db.exec(`
      -- A piece was stored once per rule and scope that cited it (a rule running again deleted its own), so a pod's
      -- piece was stored again by every rule reaching its account. Now one row per piece, whichever rules cite it:
      -- cites counts the ids in edges.evidence lists naming it (repeats included), and the piece goes when that
      -- reaches 0. Pieces no edge names any more (left by rows that became shared) go now.
      ALTER TABLE evidence ADD COLUMN cites INTEGER NOT NULL DEFAULT 0;
      UPDATE evidence SET cites = c.n
        FROM (SELECT CAST(j.value AS INTEGER) AS id, count(*) AS n
              FROM edge_rows e, json_each('[' || e.evidence || ']') j
              WHERE e.evidence IS NOT NULL GROUP BY 1) AS c
        WHERE c.id = evidence.id;
      DELETE FROM evidence WHERE cites = 0;
      DROP INDEX evidence_rule;
      ALTER TABLE evidence DROP COLUMN rule;
      ALTER TABLE evidence DROP COLUMN scope;
    `);
  },
};
