// The renderer bench crashed Chromium's page ("Target crashed") because a page function returned cy.fit(): Playwright
// serialized the whole Cytoscape Core back (3 GB of JS heap per fit on 5,000 styled elements). eslint.config.js
// forbids page functions in test/ that return what a chaining Cytoscape call returns; this checks the rule is there
// and bites, and that the getters tests do use stay allowed.
import { join } from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');
const RULE = 'no-restricted-syntax';

async function problems(code: string): Promise<string[]> {
  const eslint = new ESLint({ cwd: ROOT });
  const [result] = await eslint.lintText(code, { filePath: join(ROOT, 'test', 'bench', 'page-function-sample.ts') });
  return result!.messages.filter((m) => m.ruleId === RULE).map((m) => m.message);
}

const head = `declare const page: { evaluate<T>(f: () => T): Promise<T> };\ndeclare const cy: { fit(): unknown; zoom(l?: number): unknown; elements(): { length: number }; $(s: string): { addClass(c: string): unknown } };\n`;

describe('page functions in tests', () => {
  it('may not return a chaining Cytoscape call (the Core or a collection)', async () => {
    const found = await problems(`${head}export const a = page.evaluate(() => cy.fit());\nexport const b = page.evaluate(() => cy.zoom(2));\nexport const c = page.evaluate(() => cy.$('node').addClass('x'));\n`);
    expect(found).toHaveLength(3);
    expect(found[0]).toMatch(/serialize/);
  }, 60_000);

  it('may call them in a block body, and may return getters', async () => {
    const found = await problems(`${head}export const a = page.evaluate(() => { cy.fit(); });\nexport const b = page.evaluate(() => cy.zoom());\nexport const c = page.evaluate(() => cy.elements().length);\n`);
    expect(found).toEqual([]);
  }, 60_000);
});
