import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openEngine } from '../../src/api/engine.js';
import { FIXTURES, tempCase, tempDir } from '../helpers.js';

describe('import reads files one at a time', () => {
  it('refuses a file that changed between detection and its turn, leaving the case unchanged', async () => {
    const dir = tempDir();
    const first = join(dir, 'first.json');
    const second = join(dir, 'second.json');
    copyFileSync(join(FIXTURES, 'secret-scanners', 'gitleaks-v8-report-many.json'), first);
    copyFileSync(join(FIXTURES, 'cloudtrail', 'plaso-cloudtrail-s3-records.json'), second);
    const engine = openEngine(tempCase(), { create: true });
    try {
      const run = engine.importWithHooks(
        { files: [{ path: first }, { path: second }] },
        {
          // While the second file is being read, someone rewrites the first.
          onProgress: (p) => {
            if (p.phase === 'reading' && p.index === 1) writeFileSync(first, `${readFileSync(first, 'utf8')}\n\n`);
          },
        },
      );
      await expect(run).rejects.toThrow(/first\.json: the file changed while it was being imported/);
      expect((await engine.caseInfo({})).counts.nodes).toBe(0);
      // Unchanged files import as before.
      const ok = await engine.importFiles({ files: [{ path: first }, { path: second }] });
      expect(ok.sources.map((s) => s.format)).toEqual(['gitleaks', 'cloudtrail']);
    } finally {
      engine.close();
    }
  });
});
