import { describe, expect, it } from 'vitest';
import { computeTiers, UNREACHED } from '../../src/analysis/tiers.js';
import { scenario } from './scenario.js';

describe('privilege tiers', () => {
  const s = scenario(
    [
      { id: 'acct', kind: 'aws_account' },
      { id: 'admin:acct', kind: 'admin', boundary: 'acct' },
      { id: 'u-group', kind: 'aws_user' },
      { id: 'g-admins', kind: 'aws_group' },
      { id: 'u-escalates', kind: 'aws_user' },
      { id: 'r-admin', kind: 'aws_role' },
      { id: 'u-writer', kind: 'aws_user' },
      { id: 'bucket', kind: 'aws_bucket' },
      { id: 'u-reader', kind: 'aws_user' },
      { id: 'r-reader', kind: 'aws_role' },
      { id: 'logs', kind: 'aws_bucket' },
      { id: 'u-crown', kind: 'aws_user' },
      { id: 'crown-jewels', kind: 'aws_bucket' },
      { id: 'u-nothing', kind: 'aws_user' },
      { id: 'u-conditional', kind: 'aws_user' },
    ],
    [
      ['u-group', 'g-admins', 'MEMBER_OF'],
      ['g-admins', 'admin:acct', 'ADMIN_OF'],
      ['u-escalates', 'r-admin', 'CAN_ASSUME'],
      ['r-admin', 'admin:acct', 'ADMIN_OF'],
      ['u-writer', 'bucket', 'CAN_ACCESS', { accessLevel: 'Write' }],
      ['u-writer', 'logs', 'CAN_ACCESS', { accessLevel: 'Read' }],
      ['u-reader', 'r-reader', 'CAN_ASSUME'],
      ['r-reader', 'logs', 'CAN_ACCESS', { accessLevel: 'Read' }],
      ['u-crown', 'crown-jewels', 'CAN_ACCESS', { accessLevel: 'List' }],
      ['u-conditional', 'r-admin', 'CAN_ASSUME', { conditional: 'aws:SourceIp in 10.0.0.0/8' }],
    ],
    [{ nodeId: 'crown-jewels', mark: 'high-value' }],
  );
  const tiers = computeTiers(s.index, [s.v('crown-jewels')]);
  const at = (r: { steps: Int32Array; root: Int32Array }, id: string) => ({ steps: r.steps[s.v(id)], root: r.root[s.v(id)] === -1 ? undefined : s.index.id(r.root[s.v(id)]!) });

  it('admin-equivalent: ADMIN_OF directly or through group membership, not through escalation', () => {
    expect(at(tiers.admin, 'u-group')).toEqual({ steps: 2, root: 'admin:acct' });
    expect(at(tiers.admin, 'r-admin')).toEqual({ steps: 1, root: 'admin:acct' });
    expect(at(tiers.admin, 'u-escalates').steps).toBe(UNREACHED);
  });

  it('reaches admin or high value over any route, with the nearest target', () => {
    expect(at(tiers.crown, 'u-escalates')).toEqual({ steps: 2, root: 'admin:acct' });
    expect(at(tiers.crown, 'u-crown')).toEqual({ steps: 1, root: 'crown-jewels' });
    expect(at(tiers.crown, 'u-writer').steps).toBe(UNREACHED);
    expect(at(tiers.crown, 'u-conditional').steps).toBe(2);
  });

  it('write and read: the grant reached, directly or through a role', () => {
    expect(at(tiers.write, 'u-writer')).toEqual({ steps: 1, root: 'bucket' });
    expect(at(tiers.read, 'u-reader')).toEqual({ steps: 2, root: 'logs' });
    expect(at(tiers.write, 'u-reader').steps).toBe(UNREACHED);
    for (const r of [tiers.admin, tiers.crown, tiers.write, tiers.read]) expect(r.steps[s.v('u-nothing')]).toBe(UNREACHED);
  });

  it('without conditional edges, a route that needs one does not count', () => {
    const strict = computeTiers(s.index, [s.v('crown-jewels')], { includeConditional: false });
    expect(strict.crown.steps[s.v('u-conditional')]).toBe(UNREACHED);
    expect(strict.crown.steps[s.v('u-escalates')]).toBe(2);
  });
});
