import { describe, expect, it } from 'vitest';
import type { CaseDiff, DiffSide } from '../../renderer/contract';
import { compareGraph, diffEdgeKey } from '../../renderer/graph/compare-graph';
import { verdictOf } from '../../renderer/panels/CompareResult';
import { edge, node, path } from './fixtures';

const side: DiffSide = { label: 'x', kind: 'case', sources: [], counts: { nodes: 0, edges: 0, findings: 0 } };
const key = node('aws:key:AKIA1', { kind: 'aws_access_key', category: 'credential', marks: ['compromised'] });
const user = node('user/ci', { kind: 'aws_user' });
const role = node('role/deploy');
const admin = node('admin:111', { kind: 'admin', category: 'admin' });
const oldKey = node('aws:key:OLD', { kind: 'aws_access_key', category: 'credential' });

function diff(over: Partial<CaseDiff> = {}): CaseDiff {
  return {
    before: side,
    after: side,
    summary: {
      nodes: {},
      edges: {},
      paths: { appeared: 0, disappeared: 0, nowUnconditional: 0, nowConditional: 0, newAdminOrigins: 0, newAdminFromCompromised: 0, newAdminPaths: 0, lostAdminOrigins: 0 },
      blastRadius: { grew: 0, shrank: 0, adminGained: 0, adminLost: 0, affected: 0, compared: 0 },
      findings: { new: 0, fixed: 0, changed: 0, newBySeverity: {}, fixedBySeverity: {} },
      keysRotated: 0,
    },
    nodes: [],
    edges: [],
    paths: [],
    blastRadius: [],
    findings: [],
    rotations: [],
    bounds: [],
    elapsedMs: 1,
    ...over,
  };
}

describe('the compare view graph', () => {
  it('draws the union around the changes: edges tagged by change, path steps as context, nodes added and removed', () => {
    const escalate = edge('role/deploy', 'admin:111', { kind: 'ADMIN_OF', technique: 'iam:*' });
    const d = diff({
      edges: [
        { change: 'added', family: 'grant', kind: 'ADMIN_OF', from: role, to: admin, technique: 'iam:*', reason: 'r', edge: escalate },
        { change: 'removed', family: 'credential', kind: 'AUTHENTICATES_AS', from: oldKey, to: user, reason: 'r' },
      ],
      paths: [
        {
          change: 'appeared',
          origin: key,
          originClass: 'compromised',
          target: admin,
          targetClass: 'admin',
          before: { status: 'none' },
          after: { status: 'unconditional', steps: 3 },
          path: path([key, edge('aws:key:AKIA1', 'user/ci', { kind: 'AUTHENTICATES_AS' }), user], [user, edge('user/ci', 'role/deploy', { kind: 'CAN_ASSUME' }), role], [role, escalate, admin]),
        },
      ],
      nodes: [{ change: 'removed', node: oldKey }],
    });
    const g = compareGraph(d);
    expect(g.nodes.map((n) => n.id).sort()).toEqual(['admin:111', 'aws:key:AKIA1', 'aws:key:OLD', 'role/deploy', 'user/ci']);
    const adminKey = diffEdgeKey('role/deploy', 'admin:111', 'ADMIN_OF');
    // The path's last step is the added edge: one canvas edge, tagged added; the other steps are context.
    expect(g.edges.filter((e) => e.key === adminKey)).toHaveLength(1);
    expect(g.status).toEqual({ [adminKey]: 'added', [diffEdgeKey('aws:key:OLD', 'user/ci', 'AUTHENTICATES_AS')]: 'removed', 'aws:key:OLD': 'removed' });
    expect(g.edges.find((e) => e.key === adminKey)?.label).toBe('ADMIN_OF (iam:*)');
    expect(g.edgeViews[adminKey]).toBe(escalate);
    expect(g.items['path:0']).toEqual({ nodes: ['aws:key:AKIA1', 'admin:111', 'user/ci', 'role/deploy', 'admin:111'], edges: [diffEdgeKey('aws:key:AKIA1', 'user/ci', 'AUTHENTICATES_AS'), diffEdgeKey('user/ci', 'role/deploy', 'CAN_ASSUME'), adminKey] });
    expect(g.items['edge:1']).toEqual({ nodes: ['aws:key:OLD', 'user/ci'], edges: [diffEdgeKey('aws:key:OLD', 'user/ci', 'AUTHENTICATES_AS')] });
  });

  it('reads the verdict the way the CLI does', () => {
    expect(verdictOf(diff())).toBe('unchanged');
    const s = diff().summary;
    expect(verdictOf(diff({ summary: { ...s, paths: { ...s.paths, newAdminPaths: 1 } } }))).toBe('worse');
    expect(verdictOf(diff({ summary: { ...s, findings: { ...s.findings, fixed: 2 } } }))).toBe('better');
    expect(verdictOf(diff({ summary: { ...s, paths: { ...s.paths, newAdminPaths: 1 }, findings: { ...s.findings, fixed: 2 } } }))).toBe('mixed');
  });
});
