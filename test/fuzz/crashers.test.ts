// Every input the fuzzer ever broke something with (test/fixtures/fuzz-crashers: the bytes and what went wrong),
// replayed in a child process so that a hang that came back fails instead of stalling the suite.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES, ROOT } from '../helpers.js';
import type { Outcome } from './oracle.js';

const CORPUS = join(FIXTURES, 'fuzz-crashers');

describe('fuzz crashers stay fixed', () => {
  it('each ends as a success or a typed bad-input error, quickly', () => {
    const ids = readdirSync(CORPUS).filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -5)).sort();
    expect(ids.length).toBeGreaterThan(0);
    const r = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'test', 'fuzz', 'replay.ts'), CORPUS, '--json'], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
    expect(r.signal, `the replay was stopped (a hang?): ${r.stderr}`).toBeNull();
    const results = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { id: string; ms: number; outcome: Outcome });
    expect(results.map((x) => x.id)).toEqual(ids);
    for (const { id, ms, outcome } of results) {
      const why = (JSON.parse(readFileSync(join(CORPUS, `${id}.json`), 'utf8')) as { why: string }).why;
      expect(outcome.kind, `${id} (was: ${why}): ${JSON.stringify(outcome)}`).not.toBe('crash');
      expect(ms, id).toBeLessThan(20_000);
    }
  }, 150_000);
});
