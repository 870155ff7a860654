#!/usr/bin/env node
// `npm run rebuild:electron-sqlite`: builds better-sqlite3 against Electron's headers into build/electron-sqlite/,
// leaving node_modules/better-sqlite3 (the Node build the CLI and tests use) untouched. The Electron main process
// loads the result through better-sqlite3's `nativeBinding` option; electron-builder ships it as an extra resource.
// Needs network access once (node-gyp downloads the Electron headers), or ELECTRON_HEADERS_DIR pointing at
// unpacked headers of the same Electron version.
import { spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(root, 'package.json'));
const outDir = join(root, 'build', 'electron-sqlite');
const work = join(outDir, 'work');
const target = join(outDir, 'better_sqlite3.node');

function fail(message) {
  process.stderr.write(`rebuild:electron-sqlite: ${message}\n`);
  process.exit(1);
}

if (process.argv.includes('--if-missing') && existsSync(target)) {
  process.stderr.write(`rebuild:electron-sqlite: ${target} exists\n`);
  process.exit(0);
}

const electronVersion = JSON.parse(readFileSync(require.resolve('electron/package.json'), 'utf8')).version;
const electronAbi = readFileSync(join(dirname(require.resolve('electron/package.json')), 'abi_version'), 'utf8').trim();
const sqliteDir = dirname(require.resolve('better-sqlite3/package.json'));
const nodeGyp = require.resolve('node-gyp/bin/node-gyp.js');

// A private copy of the sources: node-gyp builds in place, and the Node build in node_modules must survive.
rmSync(work, { recursive: true, force: true });
mkdirSync(work, { recursive: true });
cpSync(sqliteDir, work, {
  recursive: true,
  filter: (src) => {
    const rel = relative(sqliteDir, src).split(sep)[0];
    return rel !== 'build' && rel !== 'node_modules';
  },
});

// npm_config_nodedir (set on machines that build native modules against the installed Node) would make node-gyp
// compile against Node's headers: the wrong ABI for Electron.
const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => k.toLowerCase() !== 'npm_config_nodedir'));
const args = [nodeGyp, 'rebuild', '--release', `--directory=${work}`, `--target=${electronVersion}`, '--runtime=electron', '--dist-url=https://electronjs.org/headers'];
if (process.env.ELECTRON_HEADERS_DIR) args.push(`--nodedir=${process.env.ELECTRON_HEADERS_DIR}`);
process.stderr.write(`rebuild:electron-sqlite: building better-sqlite3 for Electron ${electronVersion} (ABI ${electronAbi})…\n`);
const r = spawnSync(process.execPath, args, { cwd: work, stdio: 'inherit', env });
if (r.status !== 0) {
  fail(`node-gyp failed. It needs network access to download the Electron ${electronVersion} headers (or ELECTRON_HEADERS_DIR), a C++ toolchain and python3.`);
}
const built = join(work, 'build', 'Release', 'better_sqlite3.node');
if (!existsSync(built)) fail(`node-gyp reported success but ${built} is missing`);

// Node must refuse to load the result (it was built for Electron's ABI, not Node's); loading it here would mean
// the build silently used Node's headers.
try {
  process.dlopen({ exports: {} }, built);
  fail(`the build loads in Node ${process.version}: it was compiled against Node's headers, not Electron's`);
} catch (err) {
  const message = String(err?.message ?? err);
  if (!message.includes(`NODE_MODULE_VERSION ${electronAbi}`)) fail(`unexpected result checking the build's ABI: ${message}`);
}
copyFileSync(built, target);
rmSync(work, { recursive: true, force: true });
process.stderr.write(`rebuild:electron-sqlite: wrote ${target}\n`);
