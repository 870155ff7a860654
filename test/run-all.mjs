// `npm test`: the unit/integration suite (vitest) and, when configured, the end-to-end suite (Playwright in
// Debian Chromium). Both always run; the last line is "N passed, M failed" over both.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CHROMIUM_NEEDED, findChromium } from './chromium.mjs';

// Fail before anything runs when the end-to-end tests cannot: a missing browser is a setup step, not 7 failures.
if (!findChromium()) {
  process.stdout.write(`${CHROMIUM_NEEDED}\n\n0 passed, 1 failed\n`);
  process.exit(1);
}

const out = join('test-results', 'reports');
mkdirSync(out, { recursive: true });
const totals = { passed: 0, failed: 0, skipped: 0 };
let ok = true;

function run(label, cmd, args, env = {}) {
  process.stdout.write(`\n== ${label}: ${cmd} ${args.join(' ')}\n`);
  const r = spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  if (r.status !== 0) ok = false;
  return r.status;
}

const vitestJson = join(out, 'vitest.json');
const vitestStatus = run('unit and integration tests', 'npx', ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${vitestJson}`]);
if (existsSync(vitestJson)) {
  const r = JSON.parse(readFileSync(vitestJson, 'utf8'));
  totals.passed += r.numPassedTests ?? 0;
  totals.failed += (r.numFailedTests ?? 0) + (r.numFailedTestSuites && !r.numFailedTests ? r.numFailedTestSuites : 0);
  totals.skipped += (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
} else if (vitestStatus !== 0) totals.failed += 1;

if (existsSync('playwright.config.ts')) {
  const pwJson = join(out, 'playwright.json');
  const status = run('end-to-end tests', 'npx', ['playwright', 'test', '--reporter=list,json'], { PLAYWRIGHT_JSON_OUTPUT_NAME: pwJson });
  if (existsSync(pwJson)) {
    const s = JSON.parse(readFileSync(pwJson, 'utf8')).stats ?? {};
    totals.passed += (s.expected ?? 0) + (s.flaky ?? 0);
    totals.failed += s.unexpected ?? 0;
    totals.skipped += s.skipped ?? 0;
  } else if (status !== 0) totals.failed += 1;
}

process.stdout.write(`\n${totals.passed} passed, ${totals.failed} failed${totals.skipped ? `, ${totals.skipped} skipped` : ''}\n`);
process.exit(ok && totals.failed === 0 ? 0 : 1);
