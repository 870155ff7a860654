// Builds the `blastmap` CLI into dist/ (run by `npm install` through "prepare", and by `npm run build:cli`).
// Dependencies stay external: better-sqlite3 is native and the rest are installed next to dist/.
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8'));

await build({
  entryPoints: { blastmap: 'src/cli/bin.ts' },
  outdir: 'dist',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  sourcemap: true,
  external: Object.keys(pkg.dependencies ?? {}),
  logLevel: 'warning',
});
