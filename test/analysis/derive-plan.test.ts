import { describe, expect, it } from 'vitest';
import { ChangeSet, planFor } from '../../src/analysis/derive/changes.js';
import { reads } from '../../src/analysis/reads.js';
import { AWS_EMIT_READS } from '../../src/providers/aws/emit.js';

// Which rules an import's changes re-run: node kinds restricted to some boundaries (nodesWithin).

const changes = (nodes: [string, string][]) => {
  const c = new ChangeSet();
  for (const [kind, scope] of nodes) c.addNode(kind, scope);
  return c;
};

describe('planFor with nodesWithin', () => {
  const awsAdmins = reads({ nodes: ['admin'], nodesWithin: { admin: ['aws:account:'] } });

  it('skips a rule when the kind changed only in other boundaries', () => {
    expect(planFor(awsAdmins, changes([['admin', 'k8s:cluster:prod']]), false)).toEqual({ mode: 'skip' });
    expect(planFor(awsAdmins, changes([['admin', 'azure:tenant:t1'], ['admin', 'k8s:cluster:a']]), false)).toEqual({ mode: 'skip' });
  });

  it('runs it when the kind changed inside one of its boundaries, or in none', () => {
    expect(planFor(awsAdmins, changes([['admin', 'k8s:cluster:prod'], ['admin', 'aws:account:111122223333']]), false)).toEqual({ mode: 'full' });
    expect(planFor(awsAdmins, changes([['admin', '']]), false)).toEqual({ mode: 'full' });
  });

  it('keeps only the boundaries inside for a rule that works per boundary', () => {
    const per = reads({ nodes: ['admin'], nodesWithin: { admin: ['aws:account:'] }, perBoundary: {} });
    const plan = planFor(per, changes([['admin', 'k8s:cluster:prod'], ['admin', 'aws:account:111122223333']]), false);
    expect(plan.mode === 'scoped' ? [...plan.scopes] : plan).toEqual(['aws:account:111122223333']);
  });

  it('reads a kind everywhere when one part of a union does', () => {
    const union = reads(AWS_EMIT_READS, { nodes: ['admin'] });
    expect(union.nodesWithin?.admin).toBeUndefined();
    expect(planFor(union, changes([['admin', 'k8s:cluster:prod']]), false)).toEqual({ mode: 'full' });
    // Two restricted parts: the prefixes add up.
    const both = reads(AWS_EMIT_READS, { nodes: ['admin'], nodesWithin: { admin: ['k8s:cluster:'] } });
    expect([...(both.nodesWithin?.admin ?? [])].sort()).toEqual(['aws:account:', 'k8s:cluster:']);
    expect(planFor(reads(AWS_EMIT_READS), changes([['admin', 'k8s:cluster:prod']]), false)).toEqual({ mode: 'skip' });
  });
});
