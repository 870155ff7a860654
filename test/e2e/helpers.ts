import { expect, type Page } from '@playwright/test';

export function serverUrl(): string {
  const url = process.env['BLASTMAP_URL'];
  if (!url) throw new Error('BLASTMAP_URL is not set: run through playwright.config.ts (its global setup starts the server)');
  return url;
}

/** The server of the built-in demo case (assets/demo), started by the global setup. */
export function demoUrl(): string {
  const url = process.env['BLASTMAP_DEMO_URL'];
  if (!url) throw new Error('BLASTMAP_DEMO_URL is not set: run through playwright.config.ts');
  return url;
}

/** Opens the app with a fixed theme (saved before the page's scripts run). */
export async function openApp(page: Page, theme: 'light' | 'dark' = 'light', url = serverUrl()): Promise<void> {
  await page.addInitScript((t) => localStorage.setItem('blastmap.theme', t), theme);
  await page.goto(url);
  await expect(page.getByTestId('case-counts')).toBeVisible();
}

/** Types into the search box and picks the suggestion whose text contains `pick`. */
export async function searchAndPick(page: Page, text: string, pick: string): Promise<void> {
  await page.getByTestId('search-input').fill(text);
  const suggestion = page.getByTestId('search-suggestion').filter({ hasText: pick }).first();
  await expect(suggestion).toBeVisible();
  await suggestion.click();
}

export async function settle(page: Page): Promise<void> {
  // Layouts animate for ~350 ms; screenshots wait for them.
  await page.waitForTimeout(900);
}
