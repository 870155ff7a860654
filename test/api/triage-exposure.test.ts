// Triage's exposure time: a leak's own date, else when a person marked the credential. A scanner's finding with no
// date (gitleaks run on files outside git) was not exposed when its report was imported: its time stays unknown.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openEngine, type Engine } from '../../src/api/engine.js';

const REPORT = join(import.meta.dirname, '..', 'fixtures', 'secret-scanners', 'gitleaks-v8-report-many.json');
const findings = JSON.parse(readFileSync(REPORT, 'utf8')) as { File: string; StartLine: number; Date: string }[];

describe('triage exposure time', () => {
  const dir = mkdtempSync(join(tmpdir(), 'blastmap-triage-'));
  let engine: Engine;
  beforeAll(async () => {
    engine = openEngine(join(dir, 'c.blastmap'), { create: true });
    await engine.importFiles({ files: [{ path: REPORT }] });
  });
  afterAll(() => {
    engine.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('is the leak date when the report gives one, and unknown when it does not', async () => {
    const rows = await engine.triage({});
    const undated = findings.filter((f) => !f.Date);
    const dated = findings.filter((f) => f.Date);
    expect(undated.length).toBeGreaterThan(0);
    expect(dated.length).toBeGreaterThan(0);
    const placeOf = (f: { File: string; StartLine: number }) => `${f.File}:${f.StartLine}`;
    for (const f of undated) {
      const row = rows.find((r) => r.reasons.some((t) => t.includes(placeOf(f))));
      expect(row, placeOf(f)).toBeDefined();
      // Only when no other, dated leak exposes the same credential.
      if (row!.reasons.length === 1) expect(row!.exposedAt).toBeUndefined();
    }
    for (const f of dated) {
      const row = rows.find((r) => r.reasons.some((t) => t.includes(placeOf(f))))!;
      expect(Date.parse(row.exposedAt!)).toBeLessThanOrEqual(Date.parse(f.Date));
    }
  });
});
