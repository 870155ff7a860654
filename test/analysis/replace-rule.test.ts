import { describe, expect, it } from 'vitest';
import { scopeReplacements } from '../../src/analysis/compare/replace-rule.js';
import type { NodeFact } from '../../src/model/fragment.js';
import { CaseStore } from '../../src/store/case-store.js';
import { tempCase } from '../helpers.js';

const A111 = 'aws:account:111111111111';
const A222 = 'aws:account:222222222222';

/** A case with sources stating nodes in the given boundaries (stubs never count towards a scope). */
function caseWith(sources: { file: string; format: string; boundaries: string[]; stubIn?: string[]; describes?: string }[]) {
  const store = CaseStore.open(tempCase(), { create: true });
  store.begin();
  const ids: number[] = [];
  for (const [i, s] of sources.entries()) {
    const id = store.addSource({ label: `/x/${s.file}`, fileName: s.file, format: s.format, sha256: String(i), importedAt: '2026-01-01T00:00:00Z', options: s.describes ? { describes: s.describes } : {} });
    const nodes: NodeFact[] = [
      ...s.boundaries.map((b, j) => ({ id: `${s.file}/role${j}`, kind: 'aws_role' as const, name: `role${j}`, boundary: b })),
      ...(s.stubIn ?? []).map((b) => ({ id: `${b}/referenced`, kind: 'aws_role' as const, name: 'referenced', boundary: b, stub: true })),
    ];
    store.writeFragment(id, { nodes, edges: [], warnings: [] }, new Set());
    ids.push(id);
  }
  store.commit();
  return { store, ids };
}

describe('what a new export replaces (plan-impact, import --supersede)', () => {
  it('a whole-scope export replaces older ones of its format whose boundaries it covers, nothing else', () => {
    const { store, ids } = caseWith([
      { file: 'gaad-111-old.json', format: 'aws-gaad', boundaries: [A111] },
      { file: 'gaad-222.json', format: 'aws-gaad', boundaries: [A222] },
      { file: 'gaad-both.json', format: 'aws-gaad', boundaries: [A111, A222] },
      { file: 'policy-111.json', format: 'aws-resource-policy', boundaries: [A111] },
      { file: 'report-111.csv', format: 'aws-credential-report', boundaries: [A111] },
      // The new file references account 222 (a trust policy) but describes only 111.
      { file: 'gaad-111-new.json', format: 'aws-gaad', boundaries: [A111], stubIn: [A222] },
    ]);
    const found = scopeReplacements(store, { id: ids[5]!, format: 'aws-gaad' }, new Set([ids[5]!]));
    expect(found.map((r) => [r.source.fileName, r.rule])).toEqual([['gaad-111-old.json', `same format (aws-gaad) and scope (${A111})`]]);
  });

  it('a source declaring the state it describes replaces earlier ones declaring the same, whatever the format; named sources go too', () => {
    const { store, ids } = caseWith([
      { file: 'terraform.tfstate', format: 'terraform-state', boundaries: [A111], describes: 'tf:prod-iam' },
      { file: 'other.tfstate', format: 'terraform-state', boundaries: [A222], describes: 'tf:other' },
      { file: 'bucket-policy.json', format: 'aws-resource-policy', boundaries: [A222] },
      { file: 'plan.json', format: 'terraform-plan', boundaries: [A111], describes: 'tf:prod-iam' },
    ]);
    const found = scopeReplacements(store, { id: ids[3]!, format: 'terraform-plan' }, new Set([ids[3]!]), ['bucket-policy.json']);
    expect(found.map((r) => [r.source.fileName, r.rule])).toEqual([
      ['terraform.tfstate', 'describes the same state (tf:prod-iam)'],
      ['bucket-policy.json', 'named with --replaces'],
    ]);
  });
});
