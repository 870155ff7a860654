// Imports every file under the given directories (default: test/fixtures, which holds the real exports too) alone into a
// fresh temporary case, and sorts the outcomes: imported, refused with a clear error, or broken (a crash, an
// internal error, a message that names no file or reads like a parser's stack, a library warning on the terminal,
// or no answer within the time limit). Run: npx tsx test/tools/import-every-fixture.ts [dir…] [--json]
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, relative, resolve } from 'node:path';
import { openEngine } from '../../src/api/engine.js';
import { ApiError } from '../../src/api/errors.js';

type Outcome = 'imported' | 'refused' | 'broken';
interface Row {
  file: string;
  outcome: Outcome;
  detail: string;
}

const ROOT = resolve(import.meta.dirname, '..', '..');
const args = process.argv.slice(2);
const asJson = args.includes('--json');
const dirs = args.filter((a) => !a.startsWith('--'));
if (!dirs.length) dirs.push(join(ROOT, 'test', 'fixtures'));
const TIME_LIMIT_MS = 60_000;

// Messages that tell the user nothing about their file: a parser's or runtime's words leaking through.
const MISLEADING = [/Cannot read propert/i, /is not a function/, /undefined/, /\[object Object\]/, /\bNaN\b/, /TypeError|RangeError|SyntaxError/, /text after the end of the JSON value/];

function* filesUnder(dir: string): Iterable<string> {
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* filesUnder(path);
    else yield path;
  }
}

async function importAlone(path: string): Promise<Row> {
  const file = relative(ROOT, path).startsWith('..') ? path : relative(ROOT, path);
  const dir = mkdtempSync(join(tmpdir(), 'blastmap-every-'));
  const warnings: string[] = [];
  const onWarning = (w: Error) => warnings.push(w.message);
  process.on('warning', onWarning);
  const engine = openEngine(join(dir, 'case.blastmap'), { create: true });
  try {
    const result = await Promise.race([
      engine.importFiles({ files: [{ path }] }),
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`no answer within ${TIME_LIMIT_MS / 1000} s`)), TIME_LIMIT_MS)),
    ]);
    await new Promise((r) => setImmediate(r));
    if (warnings.length) return { file, outcome: 'broken', detail: `process warning: ${warnings[0]}` };
    const s = result.sources[0]!;
    return { file, outcome: 'imported', detail: `${s.format}: ${s.counts.nodes} nodes, ${s.counts.edges} edges${result.warnings.length ? `, ${result.warnings.length} warning(s)` : ''}` };
  } catch (err) {
    const e = err instanceof ApiError ? err.toJSON() : { code: 'internal', message: (err as Error)?.message ?? String(err) };
    const clear = e.code === 'bad-input' && e.message.includes(basename(path)) && !MISLEADING.some((re) => re.test(e.message));
    return { file, outcome: clear && !warnings.length ? 'refused' : 'broken', detail: `${e.code}: ${e.message}${warnings.length ? ` [process warning: ${warnings[0]}]` : ''}` };
  } finally {
    process.off('warning', onWarning);
    engine.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const rows: Row[] = [];
for (const dir of dirs) for (const path of filesUnder(dir)) rows.push(await importAlone(path));
const count = (o: Outcome) => rows.filter((r) => r.outcome === o).length;
if (asJson) {
  process.stdout.write(`${JSON.stringify({ total: rows.length, imported: count('imported'), refused: count('refused'), broken: count('broken'), rows }, null, 2)}\n`);
} else {
  for (const r of rows) process.stdout.write(`${r.outcome.padEnd(8)} ${r.file}\n         ${r.detail}\n`);
  process.stdout.write(`\n${rows.length} files: ${count('imported')} imported, ${count('refused')} refused with a clear error, ${count('broken')} broken\n`);
}
process.exitCode = count('broken') ? 1 : 0;
