// "Who can reach this?" from the details of a node of the demo case: the counts and the lists the engine gives
// through the CLI (`blastmap reachers --json`), drawn in the details panel without spilling out of it.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { demoUrl, openApp, searchAndPick, settle } from './helpers';

const ROOT = join(import.meta.dirname, '..', '..');
const BUCKET = 'nw-prod-customer-data';

interface ReachersJson {
  counts: { identities: number; credentials: number; direct: number; throughAdmin: number; onlyThroughAdmin: number };
  reachers: { node: { name: string }; direct: boolean }[];
  admin?: { name: string };
}

function reachers(ref: string): ReachersJson {
  const r = spawnSync(process.execPath, ['dist/blastmap.js', 'reachers', ref, '--limit', '200', '--case', process.env['BLASTMAP_DEMO_CASE']!, '--json'], { cwd: ROOT, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`blastmap reachers failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as ReachersJson;
}

test('demo case: who can reach the customer-data bucket, and the production admin role', async ({ page }, info) => {
  const expected = reachers(BUCKET);
  expect(expected.counts.direct).toBeGreaterThan(0);

  await openApp(page, 'light', demoUrl());
  await searchAndPick(page, BUCKET, BUCKET);
  await expect(page.getByTestId('details-name')).toHaveText(BUCKET);
  await page.getByTestId('action-reachers').click();
  const panel = page.getByTestId('reachers');
  await expect(panel).toBeVisible();
  await expect(page.getByTestId('reachers-counts')).toContainText(`${expected.counts.identities} identities and ${expected.counts.credentials} credentials: ${expected.counts.direct} directly`);
  if (expected.admin) await expect(page.getByTestId('reachers-counts')).toContainText(`${expected.counts.throughAdmin} through ${expected.admin.name}`);
  const direct = expected.reachers.filter((x) => x.direct);
  await expect(page.getByTestId('reachers-direct').locator('.reacher-row')).toHaveCount(direct.length);
  await expect(page.getByTestId('reachers-direct').locator('.reacher-row').first()).toContainText(direct[0]!.node.name);

  // Geometry: every row stays inside the details panel (no horizontal spill), and its text is not clipped.
  const spill = await page.evaluate(() => {
    const aside = document.querySelector('[data-testid="details-panel"]')!.getBoundingClientRect();
    return [...document.querySelectorAll('[data-testid="reachers"] .reacher-row')].filter((row) => {
      const r = row.getBoundingClientRect();
      return r.right > aside.right + 1 || r.left < aside.left - 1;
    }).length;
  });
  expect(spill).toBe(0);
  await settle(page);
  await page.getByTestId('details-panel').screenshot({ path: info.outputPath('reachers-bucket.png') });

  // A reacher is a link: it selects that node, and its own question can be asked in turn.
  await page.getByTestId('reachers-direct').locator('.reacher-row').first().getByRole('button').click();
  await expect(page.getByTestId('details-name')).toHaveText(direct[0]!.node.name);

  // An identity: who can become the production admin role.
  const role = reachers('ops-automation');
  await searchAndPick(page, 'ops-automation', 'ops-automation');
  await page.getByTestId('action-reachers').click();
  await expect(page.getByTestId('reachers-counts')).toContainText(`${role.counts.identities} identities and ${role.counts.credentials} credentials`);
  await settle(page);
  await page.getByTestId('details-panel').screenshot({ path: info.outputPath('reachers-role.png') });
  await page.getByTestId('reachers-close').click();
  await expect(page.getByTestId('reachers')).toHaveCount(0);
});
