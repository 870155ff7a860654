// The CLI and its import worker bundled as the build does (esbuild.config.mjs's options), into a directory inside the
// repository so their dependencies resolve from node_modules: tests that need the real `blastmap` (serve with its
// import worker, kill -9) run this.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { nodeBundle } from '../../esbuild.config.mjs';
import { ROOT } from '../helpers.js';

export async function buildCli(): Promise<{ dir: string; cli: string; dispose: () => void }> {
  mkdirSync(join(ROOT, 'node_modules', '.cache'), { recursive: true });
  const dir = mkdtempSync(join(ROOT, 'node_modules', '.cache', 'blastmap-cli-'));
  await build({ ...nodeBundle, entryPoints: { blastmap: join(ROOT, 'src', 'cli', 'bin.ts'), 'import-worker': join(ROOT, 'src', 'api', 'import-worker.ts') }, outdir: dir, target: 'node20', sourcemap: false, logLevel: 'error' });
  writeFileSync(join(dir, 'package.json'), '{"type":"module"}');
  return { dir, cli: join(dir, 'blastmap.js'), dispose: () => rmSync(dir, { recursive: true, force: true }) };
}
