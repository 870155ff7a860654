import type { Migration } from './types.js';

export const migration0010: Migration = {
  version: 10,
  name: 'source metadata (what a Terraform plan or state describes) and posture-scanner results (Prowler, ScoutSuite)',
  up(db) {
    db.exec(`
      -- What an importer says about the file as a whole: a Terraform plan names the state it changes, so a comparison
      -- can put the plan in place of that state's source.
      ALTER TABLE sources ADD COLUMN meta TEXT NOT NULL DEFAULT '{}';

      -- Results of posture scanners, kept as the scanner reported them (one row per failed check and resource). They are
      -- facts of their source, removed with it; the findings table is rebuilt from them after every import, matched
      -- to the nodes they name at that time, so a result imported before the inventory that describes its resource
      -- finds its node once that inventory arrives.
      CREATE TABLE scanner_results (
        id        INTEGER PRIMARY KEY,
        source_id INTEGER NOT NULL,
        scanner   TEXT NOT NULL,
        check_id  TEXT NOT NULL,
        severity  TEXT NOT NULL,
        status    TEXT NOT NULL,
        title     TEXT NOT NULL,
        resource  TEXT NOT NULL DEFAULT '',   -- the resource as the scanner names it
        refs      TEXT NOT NULL DEFAULT '[]', -- handles to match it by, best first: ARN, resource id, email, ns/name
        data      TEXT NOT NULL DEFAULT '{}'  -- summary, remediation, provider, account, region, place in the file
      );
      CREATE INDEX scanner_results_source ON scanner_results(source_id);

      -- A finding made from a scanner result says where it came from: {scanner, checkId, status, resource, matched}.
      ALTER TABLE findings ADD COLUMN origin TEXT;
    `);
  },
};
