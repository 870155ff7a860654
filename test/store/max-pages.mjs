// Test preload: every case connection gets PRAGMA max_page_count (BLASTMAP_TEST_MAX_PAGES), so that writing past it
// fails as a full disk does (SQLITE_FULL), without filling a disk. `node --import ./test/store/max-pages.mjs …`
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const Database = require('better-sqlite3');
const pragma = Database.prototype.pragma;
Database.prototype.pragma = function (source, options) {
  const out = pragma.call(this, source, options);
  if (/^journal_mode/.test(source)) pragma.call(this, `max_page_count = ${Number(process.env.BLASTMAP_TEST_MAX_PAGES)}`);
  return out;
};
