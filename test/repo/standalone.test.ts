import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CHROMIUM_NEEDED, findChromium } from '../chromium.mjs';
import { ROOT } from '../helpers.js';

function* files(dir: string): Iterable<string> {
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) {
      if (name !== 'fixtures') yield* files(full);
    } else if (/\.(ts|mts|mjs|js)$/.test(name)) yield full;
  }
}

describe('the repository stands alone', () => {
  it('the README states what npm test needs, in the words the test runner prints', () => {
    expect(readFileSync(join(ROOT, 'README.md'), 'utf8')).toContain(CHROMIUM_NEEDED);
    expect(readFileSync(join(ROOT, 'test', 'run-all.mjs'), 'utf8')).toContain('CHROMIUM_NEEDED');
  });

  it('BLASTMAP_CHROMIUM names the browser, and a wrong path counts as missing', () => {
    expect(findChromium({ BLASTMAP_CHROMIUM: '/no/such/chromium' })).toBeUndefined();
    expect(findChromium({ BLASTMAP_CHROMIUM: process.execPath })).toBe(process.execPath);
  });

  it('no test names a path outside the repository (../shared, /work)', () => {
    const offenders: string[] = [];
    for (const file of files(join(ROOT, 'test'))) {
      const text = readFileSync(file, 'utf8');
      if (/\.\.\/(\.\.\/)*shared\b|['"`]\/work\//.test(text) && !file.endsWith('standalone.test.ts')) offenders.push(relative(ROOT, file));
    }
    expect(offenders).toEqual([]);
  });
});
