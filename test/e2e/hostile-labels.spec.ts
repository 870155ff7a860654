// Case text is data, never markup: a node named like an XSS payload must show literally everywhere and run nothing.
// Fixture: test/fixtures/bloodhound/opengraph-hostile-labels.json.
import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { openApp, settle } from './helpers';

const IMG = '<img src=x onerror="window.__pwned=1">';
const SCRIPT = '<script>window.__pwned=2</script>';

test('HTML/JS in node names, properties and edge kinds renders as inert text', async ({ page }, info) => {
  const dialogs: string[] = [];
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  await openApp(page, 'light');

  await page.getByTestId('search-input').fill('img src');
  const suggestion = page.getByTestId('search-suggestion').first();
  await expect(suggestion).toContainText(IMG);
  await expect(page.locator('[data-testid="search-suggestions"] img, [data-testid="search-suggestions"] script')).toHaveCount(0);
  await page.screenshot({ path: info.outputPath('hostile-suggestions.png') });
  await suggestion.click();

  const details = page.getByTestId('details-panel');
  await expect(page.getByTestId('details-name')).toHaveText(IMG);
  await expect(page.getByTestId('details-properties')).toContainText(SCRIPT);
  await expect(page.getByTestId('details-properties')).toContainText('<b onmouseover="window.__pwned=3">bold?</b>');
  await expect(page.getByTestId('details-edges-out')).toContainText('<iframe src=javascript:window.__pwned=5>');
  await expect(page.getByTestId('details-edges-out')).toContainText('<svg onload="window.__pwned=4"></svg>');
  await expect(details.locator('img, script, svg, iframe, b')).toHaveCount(0);

  // Drawn on the canvas too (canvas text), and its blast radius lists the other hostile name as text.
  await page.getByTestId('action-blast').click();
  await expect(page.getByTestId('blast-count-resources')).toHaveText('1');
  await expect(page.getByTestId('blast-panel')).toContainText('<svg onload=');
  await settle(page);
  await page.screenshot({ path: info.outputPath('hostile-details.png') });

  // An exported SVG is opened in browsers too: the labels in it must be escaped text.
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-svg').click()]);
  const file = info.outputPath('hostile.svg');
  await download.saveAs(file);
  const svg = readFileSync(file, 'utf8');
  expect(svg).toContain('&lt;img src=x');
  expect(svg).not.toMatch(/<(img|script|iframe)\b/i);
  expect(svg).not.toMatch(/<svg[^>]*onload/i);

  expect(await page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned)).toBeUndefined();
  expect(dialogs).toEqual([]);
});
