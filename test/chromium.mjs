// Where the end-to-end tests find Chromium, and the one sentence `npm test` prints when it cannot.
// Shared by test/run-all.mjs (fails before any test runs), the Playwright config and its global setup.
import { existsSync } from 'node:fs';

/** What `npm test` needs on the machine; the README says the same. */
export const CHROMIUM_NEEDED =
  'npm test needs Chromium for its end-to-end tests: on Debian/Ubuntu run `sudo apt-get install chromium`, or set BLASTMAP_CHROMIUM=/path/to/chromium.';

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/snap/bin/chromium'];

/** BLASTMAP_CHROMIUM when set (it must exist), else the first Debian/Ubuntu install found; undefined when none is. */
export function findChromium(env = process.env) {
  const chosen = env.BLASTMAP_CHROMIUM;
  if (chosen) return existsSync(chosen) ? chosen : undefined;
  return CANDIDATES.find((path) => existsSync(path));
}
