import { describe, expect, it } from 'vitest';
import { cutAction, cutCost, planContainment } from '../../src/analysis/containment.js';
import { kShortestPaths } from '../../src/analysis/paths.js';
import type { EdgeKind } from '../../src/model/kinds.js';
import { rng } from '../bench/synthetic.js';
import { scenario, type E, type N } from './scenario.js';

const ACCT = 'aws:account:222222222222';
const ADMIN = `admin:${ACCT}`;
const base: N[] = [
  { id: 'leak:gitleaks:f1', kind: 'leak', name: 'config.env:3 in acme/deploy' },
  { id: 'aws:key:AKIAEXAMPLE', kind: 'aws_access_key', name: 'AKIAEXAMPLE' },
  { id: 'user/ci-deployer', kind: 'aws_user', name: 'ci-deployer' },
  { id: 'group/deployers', kind: 'aws_group', name: 'deployers' },
  { id: 'role/deploy-prod', kind: 'aws_role', name: 'deploy-prod' },
  { id: 'role/ops', kind: 'aws_role', name: 'ops' },
  { id: ADMIN, kind: 'admin', name: 'Admin of AWS account 222222222222' },
];

describe('containment plan', () => {
  it('revokes the key when it is the one step every path shares', () => {
    const s = scenario(base, [
      ['aws:key:AKIAEXAMPLE', 'user/ci-deployer', 'AUTHENTICATES_AS'],
      ['user/ci-deployer', 'role/deploy-prod', 'CAN_ASSUME'],
      ['user/ci-deployer', 'role/ops', 'CAN_ASSUME'],
      ['role/deploy-prod', ADMIN, 'ADMIN_OF'],
      ['role/ops', ADMIN, 'ADMIN_OF'],
    ]);
    const plan = planContainment(s.index, s.v('aws:key:AKIAEXAMPLE'), (v) => v === s.v(ADMIN));
    expect(plan.cuts).toEqual([s.e('aws:key:AKIAEXAMPLE', 'user/ci-deployer')]);
    expect(plan.cost).toBe(1);
    expect(plan.before).toHaveLength(2);
    expect(plan.after).toEqual([]);
  });

  it('removes one group membership rather than two trust statements, and both trusts rather than admin rights', () => {
    const s = scenario(base, [
      ['user/ci-deployer', 'group/deployers', 'MEMBER_OF'],
      ['group/deployers', 'role/deploy-prod', 'CAN_ASSUME'],
      ['group/deployers', 'role/ops', 'CAN_ASSUME'],
      ['role/deploy-prod', ADMIN, 'ADMIN_OF'],
      ['role/ops', ADMIN, 'ADMIN_OF'],
    ]);
    const fromUser = planContainment(s.index, s.v('user/ci-deployer'), (v) => v === s.v(ADMIN));
    expect(fromUser.cuts).toEqual([s.e('user/ci-deployer', 'group/deployers')]);
    const fromGroup = planContainment(s.index, s.v('group/deployers'), (v) => v === s.v(ADMIN));
    expect(fromGroup.cuts.sort()).toEqual([s.e('group/deployers', 'role/deploy-prod'), s.e('group/deployers', 'role/ops')].sort());
    expect(fromGroup.cost).toBe(6);
    expect(fromGroup.after).toEqual([]);
  });

  it('cuts conditional routes too, unless asked to ignore them', () => {
    const s = scenario(base, [
      ['user/ci-deployer', 'role/deploy-prod', 'CAN_ASSUME', { conditional: 'aws:SourceIp in 10.0.0.0/8' }],
      ['user/ci-deployer', 'role/ops', 'CAN_ASSUME'],
      ['role/deploy-prod', ADMIN, 'ADMIN_OF'],
      ['role/ops', ADMIN, 'ADMIN_OF'],
    ]);
    const all = planContainment(s.index, s.v('user/ci-deployer'), (v) => v === s.v(ADMIN));
    expect(all.cuts.sort()).toEqual([s.e('user/ci-deployer', 'role/deploy-prod'), s.e('user/ci-deployer', 'role/ops')].sort());
    const strict = planContainment(s.index, s.v('user/ci-deployer'), (v) => v === s.v(ADMIN), { includeConditional: false });
    expect(strict.cuts).toEqual([s.e('user/ci-deployer', 'role/ops')]);
    expect(strict.after).toEqual([]);
  });

  it('revokes a key once, however many sources state it and whatever activity shows it used', () => {
    const s = scenario(base, [
      ['aws:key:AKIAEXAMPLE', 'user/ci-deployer', 'AUTHENTICATES_AS', { at: 'list-access-keys' }],
      ['aws:key:AKIAEXAMPLE', 'user/ci-deployer', 'AUTHENTICATES_AS', { at: 'credential report' }],
      ['aws:key:AKIAEXAMPLE', 'user/ci-deployer', 'OBSERVED_USE', { firstSeen: '2026-01-01T00:00:00Z', lastSeen: '2026-01-02T00:00:00Z' }],
      ['user/ci-deployer', 'role/ops', 'CAN_ASSUME'],
      ['user/ci-deployer', 'role/ops', 'OBSERVED_USE'],
      ['role/ops', ADMIN, 'ADMIN_OF'],
    ]);
    const plan = planContainment(s.index, s.v('aws:key:AKIAEXAMPLE'), (v) => v === s.v(ADMIN));
    expect(plan.cost).toBe(1);
    expect(plan.cuts).toHaveLength(1);
    expect(s.index.edgeKindOf(plan.cuts[0]!)).toBe('AUTHENTICATES_AS');
    expect(plan.covers[0]).toHaveLength(3);
    expect(plan.after).toEqual([]);
    // From the user, the trust statement is the action; the observed assumption goes with it.
    const fromUser = planContainment(s.index, s.v('user/ci-deployer'), (v) => v === s.v(ADMIN));
    expect(fromUser.cuts).toEqual([s.e('user/ci-deployer', 'role/ops', 'CAN_ASSUME')]);
    expect(fromUser.cost).toBe(3);
    expect(fromUser.after).toEqual([]);
  });

  it('has nothing to cut when no target is reachable', () => {
    const s = scenario(base, [['role/deploy-prod', ADMIN, 'ADMIN_OF']]);
    const plan = planContainment(s.index, s.v('user/ci-deployer'), (v) => v === s.v(ADMIN));
    expect(plan).toEqual({ cuts: [], covers: [], cost: 0, before: [], after: [] });
  });

  it('writes each cut as an action on the record it names', () => {
    const key = { name: 'AKIAEXAMPLE', kind: 'aws_access_key' };
    const user = { name: 'ci-deployer', kind: 'aws_user' };
    const role = { name: 'deploy-prod', kind: 'aws_role' };
    expect(cutAction('AUTHENTICATES_AS', key, user, {})).toBe('Deactivate access key AKIAEXAMPLE of ci-deployer');
    expect(cutAction('CAN_ASSUME', user, role, {})).toBe('Remove ci-deployer from the trust policy of deploy-prod');
    expect(cutAction('CAN_ACCESS', role, { name: 'prod-data', kind: 'aws_bucket' }, { accessLevel: 'Write' })).toBe("Remove deploy-prod's Write access to prod-data");
    expect(cutCost('AUTHENTICATES_AS', 'aws_access_key')).toBeLessThan(cutCost('CAN_ASSUME', 'aws_user'));
    expect(cutCost('CAN_ASSUME', 'aws_user')).toBeLessThan(cutCost('ADMIN_OF', 'aws_role'));
  });

  it('finds a cut of least cost that leaves no path, on random graphs (checked by trying every edge subset)', () => {
    const random = rng(11);
    const kinds: EdgeKind[] = ['CAN_ASSUME', 'MEMBER_OF', 'CAN_ESCALATE', 'ADMIN_OF', 'AUTHENTICATES_AS'];
    const ids = ['n0', 'n1', 'n2', 'n3', 'n4', 'n5'];
    for (let round = 0; round < 20; round++) {
      const edges: E[] = [];
      for (const a of ids) for (const b of ids) if (a !== b && edges.length < 12 && random() < 0.35) edges.push([a, b, kinds[Math.floor(random() * kinds.length)]!]);
      const s = scenario(ids.map((id) => ({ id, kind: 'aws_role' as const })), edges);
      const src = s.v('n0');
      const dst = s.v('n5');
      const plan = planContainment(s.index, src, (v) => v === dst);
      const m = s.index.m;
      const costOf = (e: number) => cutCost(s.index.edgeKindOf(e), 'aws_role');
      let best = Infinity;
      for (let mask = 0; mask < 1 << m; mask++) {
        let cost = 0;
        for (let e = 0; e < m; e++) if (mask & (1 << e)) cost += costOf(e);
        if (cost < best && !reaches(s.index.d.offsets, s.index.d.targets, src, dst, mask)) best = cost;
      }
      const planCost = plan.cuts.reduce((sum, e) => sum + costOf(e), 0);
      const reachable = reaches(s.index.d.offsets, s.index.d.targets, src, dst, 0);
      expect(planCost, `round ${round}`).toBe(reachable ? best : 0);
      expect(plan.cost).toBe(planCost);
      expect(plan.after).toEqual([]);
      let cutMask = 0;
      for (const e of plan.cuts) cutMask |= 1 << e;
      expect(reaches(s.index.d.offsets, s.index.d.targets, src, dst, cutMask)).toBe(false);
    }
  });

  it('lists the same paths before and after the cut as a search over the whole graph, on random graphs with several targets', () => {
    // The plan searches with distances worked out over the part its origin reaches; the whole-graph search is the
    // reference (paths with their evidence order, conditional steps, parallel edges and a traversal filter).
    const random = rng(23);
    const kinds: EdgeKind[] = ['AUTHENTICATES_AS', 'MEMBER_OF', 'CAN_ASSUME', 'CAN_ACCESS', 'OBSERVED_USE', 'ADMIN_OF', 'CAN_ESCALATE'];
    const nodeKinds = ['aws_access_key', 'aws_user', 'aws_group', 'aws_role'] as const;
    let cut = 0;
    for (let round = 0; round < 150; round++) {
      const n = 4 + Math.floor(random() * 25);
      const nodes: N[] = Array.from({ length: n }, (_, i) => ({ id: `n${i}`, kind: i === n - 1 ? 'admin' : nodeKinds[Math.floor(random() * nodeKinds.length)]!, name: `n${i}` }));
      const edges: E[] = [];
      for (let k = Math.floor(random() * n * 4); k > 0; k--) {
        const a = Math.floor(random() * n);
        const b = Math.floor(random() * n);
        if (a !== b) edges.push([`n${a}`, `n${b}`, kinds[Math.floor(random() * kinds.length)]!, random() < 0.2 ? { conditional: 'aws:SourceIp is 10.0.0.0/8' } : {}]);
      }
      const s = scenario(nodes, edges);
      const targets = new Set([s.v(`n${n - 1}`), s.v(`n${Math.floor(random() * n)}`)]);
      const isTarget = (v: number) => targets.has(v);
      const filter = random() < 0.3 ? { includeConditional: false } : {};
      const plan = planContainment(s.index, s.v('n0'), isTarget, filter);
      expect(plan.before).toEqual(kShortestPaths(s.index, s.v('n0'), isTarget, { ...filter, k: 50 }));
      if (!plan.before.length) continue;
      cut++;
      expect(plan.after).toEqual(kShortestPaths(s.index, s.v('n0'), isTarget, { ...filter, k: 50, removed: new Set(plan.covers.flat()) }));
    }
    expect(cut).toBeGreaterThan(50);
  });
});

function reaches(offsets: Int32Array, targets: Int32Array, src: number, dst: number, removed: number): boolean {
  const seen = new Set([src]);
  const stack = [src];
  while (stack.length) {
    const u = stack.pop()!;
    if (u === dst) return true;
    for (let e = offsets[u]!; e < offsets[u + 1]!; e++) {
      if (removed & (1 << e)) continue;
      const v = targets[e]!;
      if (!seen.has(v)) {
        seen.add(v);
        stack.push(v);
      }
    }
  }
  return false;
}
