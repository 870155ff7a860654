// Input number i of a fuzz run with a given seed: the same bytes every time, in any process.
import fc from 'fast-check';
import { materialise, planArbitrary, type FuzzInput, type Plan } from './mutate.js';
import { loadSeeds } from './seeds.js';

let plans: fc.Arbitrary<Plan> | undefined;

export function inputAt(seed: number, index: number): FuzzInput {
  const seeds = loadSeeds();
  plans ??= planArbitrary(seeds.length);
  const [plan] = fc.sample(plans, { numRuns: 1, seed: (seed + Math.imul(index, 0x9e3779b1)) | 0 });
  return materialise(plan!, seeds);
}
