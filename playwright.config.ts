import { defineConfig } from '@playwright/test';
import { findChromium } from './test/chromium.mjs';

// End-to-end tests of browser mode in Debian's Chromium: test/e2e/global-setup.ts builds the CLI and the renderer,
// imports the e2e fixtures into a temporary case and starts `blastmap serve` on it.
export default defineConfig({
  testDir: 'test/e2e',
  outputDir: 'test-results/e2e',
  globalSetup: './test/e2e/global-setup.ts',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [['list']],
  use: {
    browserName: 'chromium',
    viewport: { width: 1440, height: 900 },
    acceptDownloads: true,
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
    launchOptions: {
      // The global setup refuses to start without it (test/chromium.mjs says how to install it).
      executablePath: findChromium() ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
    },
  },
});
