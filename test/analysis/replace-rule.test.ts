import { describe, expect, it } from 'vitest';
import { scopeReplacements } from '../../src/analysis/compare/replace-rule.js';
import type { NodeFact } from '../../src/model/fragment.js';
import { CaseStore } from '../../src/store/case-store.js';
import { tempCase } from '../helpers.js';

const A111 = 'aws:account:111111111111';
const A222 = 'aws:account:222222222222';

/** A case with sources stating nodes in the given boundaries (stubs never count towards a scope). */
function caseWith(sources: { file: string; format: string; boundaries: string[]; stubIn?: string[]; terraform?: Record<string, string | number> }[]) {
  const store = CaseStore.open(tempCase(), { create: true });
  store.begin();
  const ids: number[] = [];
  for (const [i, s] of sources.entries()) {
    const id = store.addSource({ label: `/x/${s.file}`, fileName: s.file, format: s.format, sha256: String(i), importedAt: '2026-01-01T00:00:00Z', options: {} });
    const nodes: NodeFact[] = [
      ...s.boundaries.map((b, j) => ({ id: `${s.file}/role${j}`, kind: 'aws_role' as const, name: `role${j}`, boundary: b })),
      ...(s.stubIn ?? []).map((b) => ({ id: `${b}/referenced`, kind: 'aws_role' as const, name: 'referenced', boundary: b, stub: true })),
    ];
    store.writeFragment(id, { nodes, edges: [], warnings: [] }, new Set());
    store.finishSource(id, { nodes: nodes.length, edges: 0 }, [], s.terraform ? { terraform: s.terraform } : {});
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

  it('a Terraform plan replaces the state it was planned against, a state a newer one of its lineage; named sources go too', () => {
    const { store, ids } = caseWith([
      { file: 'terraform.tfstate', format: 'terraform', boundaries: [A111], terraform: { document: 'tfstate', addressDigest: 'd-prod', lineage: 'l-prod', serial: 4 } },
      { file: 'other.tfstate', format: 'terraform', boundaries: [A111], terraform: { document: 'tfstate', addressDigest: 'd-other', lineage: 'l-other', serial: 9 } },
      { file: 'bucket-policy.json', format: 'aws-resource-policy', boundaries: [A222] },
      { file: 'plan.json', format: 'terraform', boundaries: [A111], terraform: { document: 'plan', addressDigest: 'd-next', priorStateDigest: 'd-prod', priorStateResources: 3 } },
      { file: 'terraform-newer.tfstate', format: 'terraform', boundaries: [A111], terraform: { document: 'tfstate', addressDigest: 'd-newer', lineage: 'l-prod', serial: 5 } },
    ]);
    // Two states of one account are not one scope: Terraform states are replaced by their own identity, never by account.
    const found = scopeReplacements(store, { id: ids[3]!, format: 'terraform' }, new Set([ids[3]!]), ['bucket-policy.json']);
    expect(found.map((r) => [r.source.fileName, r.rule])).toEqual([
      ['terraform.tfstate', 'the plan was made against this state'],
      ['bucket-policy.json', 'named with --replaces'],
    ]);
    const newer = scopeReplacements(store, { id: ids[4]!, format: 'terraform' }, new Set([ids[4]!]));
    expect(newer.map((r) => [r.source.fileName, r.rule])).toEqual([['terraform.tfstate', 'the same Terraform state (lineage l-prod)']]);
  });
});
