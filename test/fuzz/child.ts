// One fuzz worker: inputs [from, to) of a run, each generated from (seed, index), run through the oracle, one line of
// JSON per input on stdout ("R {…}"). The driver (driver.ts) watches those lines to catch a hang and restarts the
// worker after it. `node --import tsx test/fuzz/child.ts <seed> <from> <to> <fullEvery>`
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CaseStore } from '../../src/store/case-store.js';
import { inputAt } from './generate.js';
import { importOutcome, parseOutcome, type Outcome } from './oracle.js';

const [seedArg, fromArg, toArg, fullArg] = process.argv.slice(2);
const seed = Number(seedArg);
const from = Number(fromArg);
const to = Number(toArg);
const fullEvery = Number(fullArg ?? 10);

const dir = mkdtempSync(join(tmpdir(), 'blastmap-fuzz-'));
const store = CaseStore.open(join(dir, 'fuzz.blastmap'), { create: true });
try {
  for (let i = from; i < to; i++) {
    const input = inputAt(seed, i);
    const started = performance.now();
    let outcome: Outcome = await parseOutcome(input);
    // Every fullEvery-th input goes the whole way (write, derive, commit) as well.
    if (fullEvery > 0 && i % fullEvery === 0 && outcome.kind !== 'crash') {
      const whole = await importOutcome(store, input);
      if (whole.kind === 'crash' || (whole.kind === 'ok') !== (outcome.kind === 'ok')) outcome = whole.kind === 'crash' ? whole : { kind: 'crash', why: `parsing ended ${outcome.kind} but the import ${whole.kind}` };
    }
    const ms = performance.now() - started;
    process.stdout.write(`R ${JSON.stringify({ i, cls: input.cls, seed: input.seed, format: input.format, size: input.bytes.length, outcome, ms: Math.round(ms * 10) / 10 })}\n`);
  }
} finally {
  store.close();
  rmSync(dir, { recursive: true, force: true });
}
const cpu = process.cpuUsage();
process.stdout.write(`D ${JSON.stringify({ cpuMs: Math.round((cpu.user + cpu.system) / 1000) })}\n`);
