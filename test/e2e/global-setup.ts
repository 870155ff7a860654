// Builds what browser mode serves, makes a case from the e2e fixtures and serves it for the whole run.
// The server's URL (with its one-launch token) reaches the tests through BLASTMAP_URL.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHROMIUM_NEEDED, findChromium } from '../chromium.mjs';
import { bigStar, estate20k } from './large-fixture';
import { serve } from './serve';

const ROOT = join(import.meta.dirname, '..', '..');

function run(cmd: string, args: string[]): void {
  const r = spawnSync(cmd, args, { cwd: ROOT, stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed with status ${r.status}`);
}

export default async function globalSetup(): Promise<() => Promise<void>> {
  if (!findChromium()) throw new Error(CHROMIUM_NEEDED);
  if (!process.env['BLASTMAP_E2E_NO_BUILD']) {
    run(process.execPath, ['esbuild.config.mjs']);
    run(process.execPath, [join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--logLevel', 'warn']);
  }
  const dir = mkdtempSync(join(tmpdir(), 'blastmap-e2e-'));
  const big = join(dir, 'opengraph-big-star.json');
  writeFileSync(big, JSON.stringify(bigStar(1200)));
  const casePath = join(dir, 'e2e.blastmap');
  run(process.execPath, [
    'dist/blastmap.js',
    'import',
    '--case',
    casePath,
    'test/fixtures/bloodhound/opengraph-story.json',
    'test/fixtures/bloodhound/opengraph-hostile-labels.json',
    big,
  ]);

  const servers = [await serve(casePath)];
  process.env['BLASTMAP_URL'] = servers[0]!.url;
  process.env['BLASTMAP_E2E_CASE'] = casePath;

  // The built-in demo case, built from assets/demo exactly as `blastmap demo` builds it for a user.
  const demoPath = join(dir, 'demo.blastmap');
  run(process.execPath, ['dist/blastmap.js', 'demo', '--case', demoPath]);
  servers.push(await serve(demoPath));
  process.env['BLASTMAP_DEMO_URL'] = servers[1]!.url;
  process.env['BLASTMAP_DEMO_CASE'] = demoPath;

  // A 20,000-node estate for the scale checks (the explorer's first canvas, opened groups, drawing everything).
  const estatePath = join(dir, 'estate-20k.blastmap');
  const estateJson = join(dir, 'estate-20k.json');
  writeFileSync(estateJson, JSON.stringify(estate20k()));
  run(process.execPath, ['dist/blastmap.js', 'import', '--case', estatePath, estateJson]);
  servers.push(await serve(estatePath));
  process.env['BLASTMAP_20K_URL'] = servers[2]!.url;
  process.env['BLASTMAP_20K_CASE'] = estatePath;

  return async () => {
    for (const { server } of servers) {
      // A server that died during the tests has no exit left to wait for (the run would hang, not fail).
      if (server.exitCode !== null || server.signalCode !== null) continue;
      server.kill('SIGTERM');
      await new Promise((done) => server.once('exit', done));
    }
    rmSync(dir, { recursive: true, force: true });
  };
}
