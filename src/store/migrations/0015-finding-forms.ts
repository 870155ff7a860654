import type { Migration } from './types.js';

export const migration0015: Migration = {
  version: 15,
  name: 'finding forms: a finding made from a form stores the form, its title, summary and evidence built when read',
  up(db) {
    db.exec(`
      -- Credential rules make tens of thousands of findings whose text differs only in a few values (a label, a
      -- number of days, some node properties): such a row stores those values as a JSON array (src/model/
      -- finding-forms.ts) and leaves title, summary and evidence empty; the reader builds them again. Rows with no
      -- form (other rules, scanners, rows written before this migration) keep their text.
      ALTER TABLE findings ADD COLUMN form TEXT;
    `);
  },
};
