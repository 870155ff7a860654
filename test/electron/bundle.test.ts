import { build } from 'esbuild';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers.js';

describe('preload bundle', () => {
  it('is CommonJS that requires nothing but electron (a sandboxed preload can load nothing else)', async () => {
    const out = await build({
      entryPoints: [join(ROOT, 'electron', 'preload.ts')],
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'chrome130',
      external: ['electron'],
      write: false,
      logLevel: 'silent',
    });
    const code = out.outputFiles[0]!.text;
    const required = [...code.matchAll(/\brequire\(\s*["']([^"']+)["']\s*\)/g)].map((m) => m[1]);
    expect([...new Set(required)]).toEqual(['electron']);
    expect(code).not.toMatch(/\bimport\s*\(/);
    expect(code).toContain('exposeInMainWorld');
  });
});
