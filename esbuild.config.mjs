// Builds the `blastmap` CLI into dist/ (run by `npm install` through "prepare", and by `npm run build:cli`), and
// the Electron main process and preload into dist/electron/.
import { build } from 'esbuild';
import { readFileSync, realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8'));
/** Dependencies stay external: installed next to dist/ (better-sqlite3 is native). */
export const external = Object.keys(pkg.dependencies ?? {});

/** What every Node-side bundle shares: ES modules, like the rest of the package. */
export const nodeBundle = { bundle: true, platform: 'node', format: 'esm', sourcemap: true, external, logLevel: 'warning' };

// Run as a script (`node esbuild.config.mjs`); the tests import the options above to bundle as the build does.
// (realpath: run through a symlinked checkout, the script is still itself.)
if (process.argv[1] && fileURLToPath(import.meta.url) === realpathSync(process.argv[1])) await buildAll();

async function buildAll() {
  // The import worker sits beside the CLI: `blastmap serve` imports in a worker thread (src/api/import-worker.ts).
  // So does the OpenGraph edge reader, a worker the import starts (src/importers/opengraph-edges.ts), found beside
  // whichever bundle runs the import.
  await build({ ...nodeBundle, entryPoints: { blastmap: 'src/cli/bin.ts', 'import-worker': 'src/api/import-worker.ts', 'opengraph-edges': 'src/importers/opengraph-edges.ts' }, outdir: 'dist', target: 'node20' });

  // Electron main; imports run in the worker built beside it.
  await build({ ...nodeBundle, entryPoints: { main: 'electron/main.ts', 'import-worker': 'src/api/import-worker.ts', 'opengraph-edges': 'src/importers/opengraph-edges.ts' }, outdir: 'dist/electron', target: 'node22', external: [...external, 'electron'] });

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
}
