// The bounded fuzz run of `npm test`: 5,000 mutated inputs over every importer of the registry, in two worker
// processes. Every input must end as a success or a typed bad-input error (oracle.ts); a hang or a dead worker fails
// too. BLASTMAP_FUZZ_SEED replays another campaign; long runs: `npm run fuzz -- --runs 100000`.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { IMPORTERS } from '../../src/importers/index.js';
import { ROOT } from '../helpers.js';
import { fuzz } from './driver.js';
import { CLASSES } from './mutate.js';
import { seedsByImporter } from './seeds.js';

const SEED = Number(process.env['BLASTMAP_FUZZ_SEED'] ?? 20261206);
const RUNS = 5_000;

describe('fuzzing every importer', () => {
  it('seeds every importer of the registry from the fixtures', () => {
    const seeded = seedsByImporter();
    const without = IMPORTERS.map((i) => i.format).filter((f) => !seeded.get(f)?.length);
    // An importer with no fixture is still fuzzed (forced on other seeds), but real samples find more.
    expect(without).toEqual([]);
  });

  it(`${RUNS} mutated inputs end as a success or a typed bad-input error, none hangs (seed ${SEED})`, async () => {
    const report = await fuzz({ seed: SEED, runs: RUNS, jobs: 2, fullEvery: 25, hangMs: 60_000, outDir: join(ROOT, 'test-results', 'fuzz') });
    expect(report.runs).toBe(RUNS);
    for (const cls of CLASSES) expect(report.perClass[cls]!.inputs, cls).toBeGreaterThan(0);
    expect(report.failures.map((f) => `#${f.index} ${f.cls} of ${f.seed}${f.format ? ` as ${f.format}` : ''}: ${f.why}`)).toEqual([]);
  }, 900_000);
});
