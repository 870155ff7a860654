// Blast radius that reaches an account's admin node lists what that account holds: the panel shows the admin
// access level and marks what only the admin node gives. Expected figures come from the CLI, not the UI.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { demoUrl, openApp, searchAndPick, settle } from './helpers';

const ROOT = join(import.meta.dirname, '..', '..');
const LEAKED = 'AKIAQDEMO7CIDEPLOY42';

interface Blast {
  resources: { node: { name: string }; accessLevel?: string; viaAdmin?: string }[];
  byAccessLevel: Record<string, number>;
  byBoundary: { boundary: { name: string }; resources: number; admin: boolean; viaAdmin?: { resources: number } }[];
}

test('blast radius through an admin node: the admin access level and what only the admin node gives', async ({ page }, info) => {
  const r = spawnSync(process.execPath, ['dist/blastmap.js', 'blast-radius', LEAKED, '--case', process.env['BLASTMAP_DEMO_CASE']!, '--json'], { cwd: ROOT, encoding: 'utf8' });
  const blast = JSON.parse(r.stdout) as Blast;
  const prod = blast.byBoundary.find((b) => b.boundary.name === '222222222222')!;
  expect(prod.admin).toBe(true);
  expect(blast.byAccessLevel['admin']).toBeGreaterThan(0);

  await openApp(page, 'light', demoUrl());
  await searchAndPick(page, LEAKED, LEAKED);
  await page.getByTestId('action-blast').click();
  await expect(page.getByTestId('blast-panel')).toBeVisible();
  await expect(page.getByTestId('blast-count-resources')).toHaveText(String(blast.resources.length));
  const access = page.getByTestId('blast-by-access');
  await expect(access.locator('tr', { hasText: 'admin' })).toContainText(String(blast.byAccessLevel['admin']));
  const row = page.getByTestId('blast-by-boundary').locator('tr', { hasText: '222222222222' });
  await expect(row.locator('td').nth(3)).toHaveAttribute('title', new RegExp(`through its admin node`));
  // The resources list: what only the admin node gives is marked so.
  const list = page.locator('details', { hasText: 'Resources' }).last();
  if (!(await list.evaluate((d) => (d as HTMLDetailsElement).open))) await list.locator('summary').click();
  await expect(list).toHaveJSProperty('open', true);
  if (blast.resources.some((x) => x.viaAdmin)) await expect(list).toContainText('through the admin node');
  await settle(page);
  await list.scrollIntoViewIfNeeded();
  await page.getByTestId('blast-panel').screenshot({ path: info.outputPath('admin-reach-panel.png') });
  await page.screenshot({ path: info.outputPath('admin-reach-view.png') });
});
