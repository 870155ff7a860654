import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ROOT } from '../helpers.js';

const require = createRequire(import.meta.url);
const config = parse(readFileSync(join(ROOT, 'electron-builder.yml'), 'utf8')) as Record<string, unknown>;

describe('electron-builder.yml', () => {
  it("matches electron-builder's own schema", async () => {
    const { validateConfiguration } = require('app-builder-lib/out/util/config/config') as { validateConfiguration(c: unknown, l: unknown): Promise<void> };
    const { DebugLogger } = require('builder-util') as { DebugLogger: new (enabled: boolean) => unknown };
    await expect(validateConfiguration(config, new DebugLogger(false))).resolves.toBeUndefined();
  });

  it('builds AppImage, deb, dmg and nsis, and never rebuilds node_modules in place', () => {
    expect((config['linux'] as { target: string[] }).target).toEqual(['AppImage', 'deb']);
    expect((config['mac'] as { target: string }).target).toBe('dmg');
    expect((config['win'] as { target: string }).target).toBe('nsis');
    expect(config).toMatchObject({ productName: 'Blastmap', npmRebuild: false, nodeGypRebuild: false, buildDependenciesFromSource: false, publish: null });
  });

  it('ships the Electron-ABI better-sqlite3 where the main process looks for it, and not the Node build', () => {
    expect(config['extraResources']).toContainEqual({ from: 'build/electron-sqlite/better_sqlite3.node', to: 'native/better_sqlite3.node' });
    expect(config['files']).toContain('!node_modules/better-sqlite3/build/**');
    const app = readFileSync(join(ROOT, 'electron', 'app.ts'), 'utf8');
    expect(app).toContain("join(process.resourcesPath, 'native', 'better_sqlite3.node')");
    expect(app).toContain("join(process.resourcesPath, 'demo')");
  });

  it('turns off the fuses that would let the packaged binary run as plain Node', () => {
    expect(config['electronFuses']).toMatchObject({ runAsNode: false, enableNodeOptionsEnvironmentVariable: false, enableNodeCliInspectArguments: false, onlyLoadAppFromAsar: true });
  });
});
