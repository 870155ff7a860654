import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES, ROOT } from '../../helpers.js';
import { SERVICE_TECHNIQUES } from './aws-techniques.js';

// The pathfinding.cloud table (test/fixtures/aws/pathfinding/catalogue.json): every technique of the catalogue
// names a Blastmap rule file that exists and, for the service families, declares that technique id.

const catalogue = JSON.parse(readFileSync(join(FIXTURES, 'aws', 'pathfinding', 'catalogue.json'), 'utf8')) as {
  source: { repository: string; commit: string; licence: string };
  techniques: { id: string; rule: string; edge: string; requiredPermissions: { permission: string }[]; scenarios: string[] }[];
  scenarios: { path: string; id: string | null }[];
};

describe('the pathfinding.cloud catalogue table', () => {
  it('has its provenance and every lab', () => {
    expect(catalogue.source).toMatchObject({ repository: 'DataDog/pathfinding-labs', licence: 'Apache-2.0' });
    expect(catalogue.scenarios.length).toBe(105);
    expect(catalogue.techniques.length).toBeGreaterThanOrEqual(70);
  });

  for (const t of catalogue.techniques) {
    it(`${t.id} → ${t.rule}`, () => {
      expect(existsSync(join(ROOT, t.rule)), t.rule).toBe(true);
      const family = SERVICE_TECHNIQUES.find((f) => t.rule.endsWith(`/${f.rule}`));
      if (family) expect(family.techniques.map((x) => x.id)).toContain(t.id);
      // aws-admin draws ADMIN_OF for the self-escalations src/providers/aws/admin.ts finds.
      const sources = [t.rule, ...(t.rule.endsWith('/aws-admin.ts') ? ['src/providers/aws/admin.ts'] : [])].map((f) => readFileSync(join(ROOT, f), 'utf8')).join('\n');
      if (!family) expect(sources, `${t.rule} names ${t.id} or its edge`).toMatch(new RegExp(`'${t.id}'|${t.edge.split(' ')[1]!.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
    });
  }
});
