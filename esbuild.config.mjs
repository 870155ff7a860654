// Builds the `blastmap` CLI into dist/ (run by `npm install` through "prepare", and by `npm run build:cli`), and
// the Electron main process and preload into dist/electron/.
// Dependencies stay external: better-sqlite3 is native and the rest are installed next to dist/.
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8'));
const external = Object.keys(pkg.dependencies ?? {});

await build({
  // The import worker sits beside the CLI: `blastmap serve` imports in a worker thread (src/api/import-worker.ts).
  entryPoints: { blastmap: 'src/cli/bin.ts', 'import-worker': 'src/api/import-worker.ts' },
  outdir: 'dist',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  sourcemap: true,
  external,
  logLevel: 'warning',
});

// Electron main: an ES module, like the rest of the package; imports run in the worker built beside it.
await build({
  entryPoints: { main: 'electron/main.ts', 'import-worker': 'src/api/import-worker.ts' },
  outdir: 'dist/electron',
  bundle: true,
  platform: 'node',
  target: 'node22',
  format: 'esm',
  sourcemap: true,
  external: [...external, 'electron'],
  logLevel: 'warning',
});

// The preload runs sandboxed: CommonJS, with nothing to require but 'electron', so everything else is bundled.
await build({
  entryPoints: ['electron/preload.ts'],
  outfile: 'dist/electron/preload.cjs',
  bundle: true,
  platform: 'node',
  target: 'chrome130',
  format: 'cjs',
  sourcemap: 'inline',
  external: ['electron'],
  logLevel: 'warning',
});
