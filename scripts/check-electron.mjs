#!/usr/bin/env node
// `npm run check:electron`: electronegativity over electron/, failing on any HIGH or MEDIUM finding and on any
// file it could not parse (an unparsed file is an unchecked file). The package's own CLI cannot start here (it
// relies on a hoisted commander of an old major), so its runner is called directly, with the options of
// `electronegativity -i electron -o test-results/electronegativity.csv -r`. Works offline: its translation and
// release look-ups fail fast and are skipped.
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(root, 'package.json'));
const run = require('@doyensec/electronegativity/dist/runner.js');
const electronVersion = require('electron/package.json').version;

const output = join(root, 'test-results', 'electronegativity.csv');
mkdirSync(dirname(output), { recursive: true });

const result = await run(
  {
    input: join(root, 'electron'),
    output,
    isSarif: false,
    customScan: [],
    excludeFromScan: [],
    isRelative: true,
    isVerbose: true,
    electronVersionOverride: electronVersion,
    parserPlugins: [],
  },
  false,
);

const FAILING = new Set(['HIGH', 'MEDIUM']);
const failing = result.issues.filter((i) => FAILING.has(i.severity.name));
for (const i of result.issues) {
  const mark = FAILING.has(i.severity.name) ? 'FAIL' : 'note';
  process.stdout.write(`${mark} ${i.severity.name}/${i.confidence.name} ${i.id} ${i.file}:${i.location.line}:${i.location.column} — ${i.description}${i.manualReview ? ' (manual review)' : ''}\n`);
}
const unparsed = result.errors.filter((e) => !e.tolerable);
for (const e of unparsed) process.stdout.write(`FAIL could not parse ${e.file}: ${e.message}\n`);
process.stdout.write(
  `electronegativity: ${result.globalChecks + result.atomicChecks} checks, ${result.issues.length} finding(s), ${failing.length} high/medium, ${unparsed.length} unparsed file(s); report in ${output}\n`,
);
process.exit(failing.length || unparsed.length ? 1 : 0);
