// A case's id (src/api/case-id.ts): two cases of the same file name in different folders differ; the same case
// reached by another spelling of its path is the same case.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openEngine } from '../../src/api/engine.js';

const dir = mkdtempSync(join(tmpdir(), 'blastmap-case-id-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('caseInfo id', () => {
  it('tells apart two cases of the same name and names one case the same however its path is written', async () => {
    mkdirSync(join(dir, 'a'));
    mkdirSync(join(dir, 'b'));
    const ids: string[] = [];
    for (const p of [join(dir, 'a', 'case.blastmap'), join(dir, 'b', 'case.blastmap'), relative(process.cwd(), join(dir, 'a', '..', 'a', 'case.blastmap'))]) {
      const engine = openEngine(p, { create: true });
      const info = await engine.caseInfo({});
      engine.close();
      expect(info.id).toMatch(/^[0-9a-f]{16}$/);
      // The id says nothing of the folder.
      expect(info.id).not.toContain('case');
      ids.push(info.id!);
    }
    expect(ids[0]).not.toBe(ids[1]);
    expect(ids[2]).toBe(ids[0]);
  });
});
