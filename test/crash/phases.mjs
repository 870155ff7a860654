// Preload for the kill -9 tests: every transaction boundary and WAL checkpoint the process reaches is announced on
// stderr ("PHASE begin|commit|rollback|checkpoint") just before SQLite runs it, so the test can kill at those moments.
import { writeSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const Database = require('better-sqlite3');
const exec = Database.prototype.exec;
Database.prototype.exec = function (sql) {
  const m = /^\s*(BEGIN|COMMIT|ROLLBACK)/i.exec(sql);
  if (m) writeSync(2, `PHASE ${m[1].toLowerCase()}\n`);
  return exec.call(this, sql);
};
const pragma = Database.prototype.pragma;
Database.prototype.pragma = function (source, options) {
  if (/^wal_checkpoint/.test(source)) writeSync(2, 'PHASE checkpoint\n');
  return pragma.call(this, source, options);
};
