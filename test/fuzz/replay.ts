// Replays saved fuzz inputs (test-results/fuzz, or the regression corpus test/fixtures/fuzz-crashers):
// `node --import tsx test/fuzz/replay.ts <dir> [--json] [id…]`. Each line: the id, the time it took, its outcome.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { MutationClass } from './mutate.js';
import { parseOutcome } from './oracle.js';

const args = process.argv.slice(2);
const asJson = args.includes('--json');
const [dir, ...ids] = args.filter((a) => a !== '--json');
const all = readdirSync(dir!).filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -5));
for (const id of ids.length ? ids : all.sort()) {
  const meta = JSON.parse(readFileSync(join(dir!, `${id}.json`), 'utf8')) as { name: string; format?: string; cls: MutationClass; seed: string };
  const bytes = readFileSync(join(dir!, `${id}.bin`));
  const started = performance.now();
  const outcome = await parseOutcome({ cls: meta.cls, seed: meta.seed, name: meta.name, bytes, format: meta.format });
  const ms = Math.round(performance.now() - started);
  process.stdout.write(asJson ? `${JSON.stringify({ id, ms, outcome })}\n` : `${id}: ${ms} ms ${JSON.stringify(outcome)}\n`);
}
