import { copyFileSync, existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildDemoCase } from '../src/demo.js';
import { FIXTURES, tempCase, tempDir } from './helpers.js';

describe('demo case builder', () => {
  it('refuses to overwrite an existing file', async () => {
    const path = tempCase();
    writeFileSync(path, 'mine');
    await expect(buildDemoCase(path)).rejects.toThrow(/already exists/);
  });

  it('leaves no case and no temporary file behind when an export fails to import', async () => {
    const assets = tempDir();
    copyFileSync(join(FIXTURES, 'bloodhound', 'opengraph-minimal.json'), join(assets, 'a-good.json'));
    writeFileSync(join(assets, 'b-bad.json'), '{"graph": {"nodes": [');
    const path = tempCase();
    await expect(buildDemoCase(path, assets)).rejects.toThrow(/b-bad\.json/);
    expect(existsSync(path)).toBe(false);
    expect(readdirSync(join(path, '..'))).toEqual([]);
  });

  it('builds a case from the export files it is given', async () => {
    const assets = tempDir();
    copyFileSync(join(FIXTURES, 'bloodhound', 'opengraph-minimal.json'), join(assets, 'graph.json'));
    const path = tempCase();
    await buildDemoCase(path, assets);
    expect(readdirSync(join(path, '..'))).toEqual(['case.blastmap']);
  });
});
