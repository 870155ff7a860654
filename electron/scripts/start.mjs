#!/usr/bin/env node
// `npm start`: builds what is missing, then launches the desktop app on the case it would open. Where the desktop
// app cannot run (no Electron binary on an offline or locked-down install, or better-sqlite3 not built for Electron)
// it says so in one line and shows the same product in browser mode instead: `blastmap serve` on that case (the
// last case the app opened, else the demo case), which opens the system browser where there is one and prints the
// URL in any case. Arguments: `--case <file>` opens that case; `--no-open` (browser mode) only prints the URL.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const require = createRequire(join(root, 'package.json'));
const args = process.argv.slice(2);

function say(message) {
  process.stderr.write(`blastmap: ${message}\n`);
}

function fail(message) {
  say(message);
  process.exit(1);
}

function run(label, cmd, cmdArgs) {
  say(`${label}…`);
  const r = spawnSync(cmd, cmdArgs, { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
  if (r.status !== 0) fail(`${label} failed (${cmd} ${cmdArgs.join(' ')})`);
}

function electronBinary() {
  try {
    const path = require('electron');
    return typeof path === 'string' && existsSync(path) ? path : undefined;
  } catch {
    return undefined;
  }
}

/** Where the desktop app keeps recent.json and the demo case (Electron's userData for this app's name). */
function userDataDirs() {
  if (process.env.BLASTMAP_USER_DATA) return [process.env.BLASTMAP_USER_DATA];
  const base =
    process.platform === 'darwin'
      ? join(homedir(), 'Library', 'Application Support')
      : process.platform === 'win32'
        ? (process.env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'))
        : (process.env.XDG_CONFIG_HOME ?? join(homedir(), '.config'));
  // `npm start` runs under the package name; the packaged app under its product name.
  return [join(base, 'blastmap'), join(base, 'Blastmap')];
}

/** The case the desktop app would open: `--case`, else its last case, else its demo case (built when missing). */
function caseToOpen() {
  const i = args.indexOf('--case');
  if (i >= 0 && args[i + 1]) return resolve(args[i + 1]);
  const positional = args.find((a) => a.endsWith('.blastmap'));
  if (positional) return resolve(positional);
  for (const dir of userDataDirs()) {
    try {
      const recent = JSON.parse(readFileSync(join(dir, 'recent.json'), 'utf8'));
      const last = Array.isArray(recent) ? recent.find((p) => typeof p === 'string' && isAbsolute(p) && existsSync(p)) : undefined;
      if (last) return last;
    } catch {
      // No recent list there.
    }
  }
  const dir = userDataDirs()[0];
  const demo = join(dir, 'demo.blastmap');
  if (!existsSync(demo)) {
    mkdirSync(dir, { recursive: true });
    run('building the demo case', process.execPath, [join(root, 'dist', 'blastmap.js'), 'demo', '--case', demo]);
  }
  return demo;
}

function forwardSignals(child) {
  child.on('exit', (code, signal) => process.exit(signal ? 1 : (code ?? 0)));
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
}

// The CLI, the main process and the preload (one esbuild run), then the renderer when it is not built.
run('building the CLI, the main process and the preload', process.execPath, ['esbuild.config.mjs']);
if (!existsSync(join(root, 'dist', 'renderer', 'index.html'))) {
  const scripts = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).scripts ?? {};
  if (!scripts['build:renderer']) fail('the renderer is not built and this checkout has no build:renderer script');
  run('building the renderer', process.platform === 'win32' ? 'npm.cmd' : 'npm', ['run', 'build:renderer']);
}

const electron = electronBinary();
const sqlite = existsSync(join(root, 'build', 'electron-sqlite', 'better_sqlite3.node'));
if (electron && sqlite) {
  const env = { ...process.env };
  delete env.ELECTRON_RUN_AS_NODE;
  forwardSignals(spawn(electron, ['.', ...args.filter((a) => a !== '--no-open')], { cwd: root, stdio: 'inherit', env }));
} else {
  say(
    electron
      ? 'better-sqlite3 is not built for Electron (once, with network access: npm run rebuild:electron-sqlite); opening browser mode instead.'
      : 'the Electron binary is not installed (with network access: node node_modules/electron/install.js, or unset ELECTRON_SKIP_BINARY_DOWNLOAD and npm install); opening browser mode instead.',
  );
  const casePath = caseToOpen();
  const serveArgs = [join(root, 'dist', 'blastmap.js'), 'serve', '--case', casePath, ...(args.includes('--no-open') ? ['--no-open'] : [])];
  forwardSignals(spawn(process.execPath, serveArgs, { cwd: root, stdio: 'inherit' }));
}
