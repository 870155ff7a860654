// The incident story on the built-in demo case (assets/demo), as a responder drives it: paste the leaked key →
// blast radius → the path to the production admin → the leaked-key finding → containment → PNG export.
// Expected counts come from the engine through the CLI, not from the UI under test.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { demoUrl, openApp, searchAndPick, settle } from './helpers';

const ROOT = join(import.meta.dirname, '..', '..');
const LEAKED = 'AKIAQDEMO7CIDEPLOY42';

function engine<T>(...args: string[]): T {
  const r = spawnSync(process.execPath, ['dist/blastmap.js', ...args, '--case', process.env['BLASTMAP_DEMO_CASE']!, '--json'], { cwd: ROOT, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`blastmap ${args.join(' ')} failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as T;
}

test('demo case: leaked key → blast radius → path to production admin → leaked-key finding → containment → PNG', async ({ page }, info) => {
  const blast = engine<{ identities: unknown[]; resources: unknown[]; credentials: unknown[]; admins: { node: { name: string } }[] }>('blast-radius', LEAKED);
  expect(blast.admins.map((a) => a.node.name)).toContain('Admin of AWS account 222222222222');

  await openApp(page, 'light', demoUrl());
  await searchAndPick(page, LEAKED, LEAKED);
  await expect(page.getByTestId('details-name')).toBeVisible();
  await expect(page.getByTestId('details-panel')).toContainText(LEAKED);

  await page.getByTestId('action-blast').click();
  await expect(page.getByTestId('blast-panel')).toBeVisible();
  await expect(page.getByTestId('blast-count-identities')).toHaveText(String(blast.identities.length));
  await expect(page.getByTestId('blast-count-resources')).toHaveText(String(blast.resources.length));
  await expect(page.getByTestId('blast-count-credentials')).toHaveText(String(blast.credentials.length));
  await expect(page.getByTestId('blast-count-admins')).toHaveText(String(blast.admins.length));
  await settle(page);
  await page.screenshot({ path: info.outputPath('demo-1-blast-radius.png') });

  // Containment: the checklist of cuts, re-checked by the engine.
  await page.getByTestId('containment-run').click();
  await expect(page.getByTestId('containment-checklist')).toContainText('Deactivate access key');
  await page.screenshot({ path: info.outputPath('demo-1b-containment.png') });

  await page.getByTestId('mode-paths').click();
  await page.getByTestId('paths-run-selected').click();
  const toProd = page.getByTestId('path-item').filter({ hasText: 'Admin of AWS account 222222222222' }).first();
  await expect(toProd).toBeVisible();
  await expect(toProd).toContainText('deploy-prod');
  await expect(toProd).toContainText('ops-automation');
  const canvas = page.getByTestId('graph-canvas');
  const toggle = toProd.getByTestId('path-toggle');
  if ((await toggle.getAttribute('aria-pressed')) !== 'true') await toggle.click();
  await expect(toggle).toHaveAttribute('aria-pressed', 'true');
  await expect(canvas).not.toHaveAttribute('data-highlighted-edges', '0');
  await settle(page);
  await page.screenshot({ path: info.outputPath('demo-2-path-to-admin.png') });

  await page.getByTestId('mode-findings').click();
  await expect(page.getByTestId('findings-table')).toBeVisible();
  await expect(page.getByTestId('findings-table')).toContainText('was leaked and is still active');
  // Rows have a fixed height (virtualised list): a long title must stay inside its row, not run into the next.
  const overflowing = await page.getByTestId('finding-row').evaluateAll((rows) =>
    rows.filter((row) => [...row.querySelectorAll('.finding-title > *')].some((el) => el.getBoundingClientRect().bottom > row.getBoundingClientRect().bottom + 1)).length,
  );
  expect(overflowing).toBe(0);
  await page.screenshot({ path: info.outputPath('demo-3-findings.png') });

  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-png').click()]);
  const file = info.outputPath('demo-export.png');
  await download.saveAs(file);
  expect(readFileSync(file).subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
});
