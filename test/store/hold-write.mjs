// Another process writing a case: takes the write lock, writes a mark it has not committed, says "holding", and
// commits after the given time. `node test/store/hold-write.mjs <case> <node id> <ms>`
import Database from 'better-sqlite3';

const [path, nodeId, holdMs] = process.argv.slice(2);
const db = new Database(path);
db.exec('BEGIN IMMEDIATE');
db.prepare("INSERT INTO marks (node_id, mark, note, by, at) VALUES (?, 'compromised', 'written by another process', 'holder', '2026-01-01T00:00:00Z')").run(nodeId);
process.stdout.write('holding\n');
setTimeout(() => {
  db.exec('COMMIT');
  db.close();
  process.stdout.write('released\n');
}, Number(holdMs));
