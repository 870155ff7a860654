// Replays saved fuzz inputs (test-results/fuzz, or the regression corpus test/fixtures/fuzz-crashers), each parsed
// and then imported whole into a scratch case, as the fuzz workers do:
// `node --import tsx test/fuzz/replay.ts <dir> [--json] [id…]`. Each line: the id, the time it took, its outcome.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CaseStore } from '../../src/store/case-store.js';
import type { MutationClass } from './mutate.js';
import { importOutcome, parseOutcome, type Outcome } from './oracle.js';

const args = process.argv.slice(2);
const asJson = args.includes('--json');
const [dir, ...ids] = args.filter((a) => a !== '--json');
const all = readdirSync(dir!).filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -5));
const scratch = mkdtempSync(join(tmpdir(), 'blastmap-replay-'));
const store = CaseStore.open(join(scratch, 'replay.blastmap'), { create: true });
try {
  for (const id of ids.length ? ids : all.sort()) {
    const meta = JSON.parse(readFileSync(join(dir!, `${id}.json`), 'utf8')) as { name: string; format?: string; cls: MutationClass; seed: string };
    const input = { cls: meta.cls, seed: meta.seed, name: meta.name, bytes: readFileSync(join(dir!, `${id}.bin`)), format: meta.format };
    const started = performance.now();
    let outcome: Outcome = await parseOutcome(input);
    if (outcome.kind !== 'crash') {
      const whole = await importOutcome(store, input);
      if (whole.kind === 'crash') outcome = whole;
    }
    const ms = Math.round(performance.now() - started);
    process.stdout.write(asJson ? `${JSON.stringify({ id, ms, outcome })}\n` : `${id}: ${ms} ms ${JSON.stringify(outcome)}\n`);
  }
} finally {
  store.close();
  rmSync(scratch, { recursive: true, force: true });
}
