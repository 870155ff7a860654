// Exports (issue #15, item 9) on the demo case: the SVG and the PNG carry a title (the case, what the view is, when)
// and a legend, and keep every style: the compromised double ring, dotted conditional edges, dashed statements.
import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { canvasSettled, demoUrl, openApp, searchAndPick } from './helpers';

const LEAKED = 'AKIAQDEMO7CIDEPLOY42';

test('SVG and PNG of a blast radius: title, legend and every style', async ({ page }, info) => {
  await openApp(page, 'light', demoUrl());
  await searchAndPick(page, LEAKED, LEAKED);
  await page.getByTestId('action-blast').click();
  // Admin of production, of dev (OrganizationAccountAccessRole) and of prod-eks (production's admin acts as the
  // role aws-auth maps to system:masters).
  await expect(page.getByTestId('blast-count-admins')).toHaveText('3');
  await canvasSettled(page);

  const [svgDownload] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-svg').click()]);
  const svgFile = info.outputPath('blast.svg');
  await svgDownload.saveAs(svgFile);
  const svg = readFileSync(svgFile, 'utf8');
  expect(svg).toContain('Blast radius of ci-deployer access key 1');
  expect(svg).toMatch(/demo\.blastmap · \d{4}-\d\d-\d\d \d\d:\d\d UTC/);
  for (const entry of ['Legend', 'compromised', 'conditional (not decidable offline)', 'observed in activity logs', 'origin of the analysis']) expect(svg).toContain(entry);
  // The leaked key: its fill and the two rings of its double border.
  const key = /<g class="node" data-id="aws:key:AKIAQDEMO7CIDEPLOY42"[^>]*>(.*?)<\/g>/.exec(svg)?.[1] ?? '';
  expect((key.match(/fill="none"/g) ?? []).length).toBe(2);
  // A conditional edge is dotted, a raw statement dashed.
  expect(svg).toMatch(/<g class="edge"[^>]*><path [^>]*stroke="rgb\(217,119,6\)"[^>]*stroke-dasharray=/);
  expect(svg).toContain('stroke-dasharray="6 4"');

  const [pngDownload] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-png').click()]);
  const pngFile = info.outputPath('blast.png');
  await pngDownload.saveAs(pngFile);
  const png = readFileSync(pngFile);
  expect(png.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
  // Rasterised from the same SVG at twice its size: title and legend included.
  const size = { w: png.readUInt32BE(16), h: png.readUInt32BE(20) };
  const svgSize = /<svg [^>]*width="([\d.]+)" height="([\d.]+)"/.exec(svg)!;
  expect(size.w).toBe(Math.round(Number(svgSize[1]) * 2));
  expect(size.h).toBe(Math.round(Number(svgSize[2]) * 2));
  await page.screenshot({ path: info.outputPath('export-source-view.png') });
});
