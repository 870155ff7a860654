import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openEngine } from '../../src/api/engine.js';
import { tempCase, tempDir } from '../helpers.js';

const NODE_BINDING = join(dirname(createRequire(import.meta.url).resolve('better-sqlite3/package.json')), 'build', 'Release', 'better_sqlite3.node');

describe('nativeBinding (the Electron-ABI better-sqlite3)', () => {
  it('opens a case through the addon it is given', async () => {
    const engine = openEngine(tempCase(), { create: true, nativeBinding: NODE_BINDING });
    try {
      expect((await engine.caseInfo({})).counts.nodes).toBe(0);
    } finally {
      engine.close();
    }
  });

  it('fails to open, naming the case, when the addon is missing rather than falling back to another build', () => {
    const path = tempCase();
    expect(() => openEngine(path, { create: true, nativeBinding: join(tempDir(), 'better_sqlite3.node') })).toThrow(/cannot open the case/);
  });
});
