#!/usr/bin/env node
// `npm start`: checks what the desktop app needs, builds what is missing, then launches Electron.
// Every missing piece is reported in one plain sentence with the command that fixes it (no stack traces).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(root, 'package.json'));

function fail(message) {
  process.stderr.write(`blastmap: ${message}\n`);
  process.exit(1);
}

function run(label, cmd, args) {
  process.stderr.write(`blastmap: ${label}…\n`);
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) fail(`${label} failed (${cmd} ${args.join(' ')})`);
}

let electron;
try {
  electron = require('electron');
} catch {
  electron = undefined;
}
if (typeof electron !== 'string' || !existsSync(electron)) {
  fail(
    [
      'the Electron binary is not installed (it was skipped, e.g. with ELECTRON_SKIP_BINARY_DOWNLOAD=1).',
      '  To get it, with network access: node node_modules/electron/install.js',
      '  (or unset ELECTRON_SKIP_BINARY_DOWNLOAD and run npm install again).',
      '  Without Electron, browser mode works: npm run blastmap -- serve --case <file>',
    ].join('\n'),
  );
}

run('building the main process and preload', process.execPath, ['esbuild.config.mjs']);

if (!existsSync(join(root, 'dist', 'renderer', 'index.html'))) {
  const scripts = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).scripts ?? {};
  if (!scripts['build:renderer']) fail('the renderer is not built and this checkout has no build:renderer script');
  run('building the renderer', process.platform === 'win32' ? 'npm.cmd' : 'npm', ['run', 'build:renderer']);
}

if (!existsSync(join(root, 'build', 'electron-sqlite', 'better_sqlite3.node'))) {
  fail('better-sqlite3 is not built for Electron yet. Run once, with network access (it downloads Electron headers): npm run rebuild:electron-sqlite');
}

const env = { ...process.env };
delete env.ELECTRON_RUN_AS_NODE;
const child = spawn(electron, ['.', ...process.argv.slice(2)], { cwd: root, stdio: 'inherit', env });
child.on('exit', (code, signal) => process.exit(signal ? 1 : (code ?? 0)));
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
