// Import in browser mode: a bad file is refused with its place in the file and the case left as it was;
// a good one lands and the counts update.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { openApp } from './helpers';

const ROOT = join(import.meta.dirname, '..', '..');

test('a bad file is refused with its location; a good file imports', async ({ page }, info) => {
  await openApp(page, 'light');
  const before = await page.getByTestId('case-counts').textContent();

  await page.getByTestId('open-import').click();
  const dialog = page.getByTestId('import-dialog');
  await expect(dialog).toBeVisible();
  const bad = JSON.stringify({ graph: { nodes: [{ id: 'n1', kinds: [], properties: {} }], edges: [] } });
  await page.getByTestId('import-file-input').setInputFiles({ name: 'broken-opengraph.json', mimeType: 'application/json', buffer: Buffer.from(bad) });
  await expect(page.getByTestId('import-files')).toContainText('broken-opengraph.json');
  await page.getByTestId('import-start').click();
  const error = page.getByTestId('import-error');
  await expect(error).toContainText('the case is unchanged');
  await expect(error).toContainText('kinds');
  await expect(error).toContainText('$.graph.nodes[0].kinds');
  await page.screenshot({ path: info.outputPath('import-error.png') });
  await expect(page.getByTestId('case-counts')).toHaveText(before ?? '');

  // The Format select stays inside the dialog however long the format titles are.
  const dialogBox = (await dialog.boundingBox())!;
  const selectBox = (await page.getByTestId('import-format').boundingBox())!;
  expect(selectBox.x + selectBox.width).toBeLessThanOrEqual(dialogBox.x + dialogBox.width);

  // Picking other files clears the old error; a file can be taken off the list on its own.
  const good = readFileSync(join(ROOT, 'test/fixtures/bloodhound/opengraph-minimal.json'));
  await page.getByTestId('import-file-input').setInputFiles({ name: 'opengraph-minimal.json', mimeType: 'application/json', buffer: good });
  await expect(page.getByTestId('import-error')).toHaveCount(0);
  await expect(page.getByTestId('import-files')).toContainText('broken-opengraph.json');
  await page.getByRole('button', { name: 'Remove broken-opengraph.json' }).click();
  await expect(page.getByTestId('import-files')).not.toContainText('broken-opengraph.json');
  await expect(page.getByTestId('import-files')).toContainText('opengraph-minimal.json');
  await page.getByTestId('import-start').click();
  await expect(page.getByTestId('import-result')).toContainText('opengraph-minimal.json as bloodhound-opengraph: 2 nodes, 1 edge');
  await expect(page.getByTestId('case-counts')).not.toHaveText(before ?? '');
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
});
