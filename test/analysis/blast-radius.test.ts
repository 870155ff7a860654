import { describe, expect, it } from 'vitest';
import { accessOf, blastRadius, conditionalOf, depthOf, parentOf, routeTo, summarize, viaAdminOf } from '../../src/analysis/blast-radius.js';
import { scenario, type N } from './scenario.js';

const ACCT = 'aws:account:111111111111';
const nodes: N[] = [
  { id: ACCT, kind: 'aws_account' },
  { id: `admin:${ACCT}`, kind: 'admin', boundary: ACCT },
  { id: 'aws:key:AKIA1', kind: 'aws_access_key', boundary: ACCT },
  { id: 'user/ci', kind: 'aws_user', boundary: ACCT },
  { id: 'role/a', kind: 'aws_role', boundary: ACCT },
  { id: 'role/b', kind: 'aws_role', boundary: ACCT },
  { id: 'role/c', kind: 'aws_role', boundary: ACCT },
  { id: 'bucket', kind: 'aws_bucket', boundary: ACCT },
  { id: 'secret', kind: 'aws_secret', boundary: ACCT },
  { id: 'island', kind: 'aws_role', boundary: ACCT },
];

describe('blast radius', () => {
  it('walks through cycles once, at least depth, with the route used and counts per boundary', () => {
    const s = scenario(nodes, [
      ['aws:key:AKIA1', 'user/ci', 'AUTHENTICATES_AS'],
      ['user/ci', 'role/a', 'CAN_ASSUME'],
      ['role/a', 'role/b', 'CAN_ASSUME'],
      ['role/b', 'role/a', 'CAN_ASSUME'],
      ['role/b', `admin:${ACCT}`, 'ADMIN_OF'],
      ['island', 'bucket', 'CAN_ACCESS', { accessLevel: 'Write' }],
    ]);
    const r = blastRadius(s.index, s.v('aws:key:AKIA1'), { maxDepth: 4 });
    const reached = [...r.reached].map((v) => s.index.id(v)).sort();
    expect(reached).toEqual([`admin:${ACCT}`, 'role/a', 'role/b', 'user/ci']);
    expect(depthOf(s.index, r, s.v('role/b'))).toBe(3);
    expect(routeTo(s.index, r, s.v(`admin:${ACCT}`)).map((v) => s.index.id(v))).toEqual(['aws:key:AKIA1', 'user/ci', 'role/a', 'role/b', `admin:${ACCT}`]);
    const sum = summarize(s.index, r);
    expect(sum.admins.map((v) => s.index.id(v))).toEqual([`admin:${ACCT}`]);
    expect(sum.byBoundary).toEqual([{ boundary: s.v(ACCT), identities: 3, resources: 0, credentials: 0, admin: true, viaAdmin: { identities: 0, resources: 0, credentials: 0 } }]);
    expect(depthOf(s.index, r, s.v('bucket'))).toBe(-1);
  });

  it('does not give the account root user, or its password, to whoever reaches the account admin', () => {
    const root = 'arn:aws:iam::111111111111:root';
    const s = scenario(
      [...nodes, { id: root, kind: 'aws_root', boundary: ACCT }, { id: `aws:password:${root}`, kind: 'aws_password', boundary: ACCT }],
      [
        ['user/ci', `admin:${ACCT}`, 'ADMIN_OF'],
        [`aws:password:${root}`, root, 'AUTHENTICATES_AS'],
        [root, `admin:${ACCT}`, 'ADMIN_OF'],
      ],
    );
    const r = blastRadius(s.index, s.v('user/ci'));
    expect(depthOf(s.index, r, s.v('role/a'))).toBe(2);
    expect(depthOf(s.index, r, s.v(root))).toBe(-1);
    expect(depthOf(s.index, r, s.v(`aws:password:${root}`))).toBe(-1);
  });

  it('reaches everything inside a boundary whose admin node it reaches, one step past the admin, resources at level admin', () => {
    const OTHER = 'aws:account:444455556666';
    const s = scenario(
      [...nodes, { id: OTHER, kind: 'aws_account' }, { id: `admin:${OTHER}`, kind: 'admin', boundary: OTHER }, { id: 'other/bucket', kind: 'aws_bucket', boundary: OTHER }, { id: 'other/role', kind: 'aws_role', boundary: OTHER }],
      [
        ['aws:key:AKIA1', 'user/ci', 'AUTHENTICATES_AS'],
        ['user/ci', 'role/a', 'CAN_ASSUME'],
        ['role/a', 'bucket', 'CAN_ACCESS', { accessLevel: 'Read' }],
        ['role/a', `admin:${ACCT}`, 'ADMIN_OF', { conditional: 'aws:MultiFactorAuthPresent' }],
        ['island', 'other/role', 'CAN_ASSUME'],
      ],
    );
    const r = blastRadius(s.index, s.v('aws:key:AKIA1'));
    const id = (v: number) => s.index.id(v);
    // The walk's own nodes first, then the boundary's other members (not the account node itself).
    expect([...r.reached].map(id)).toEqual(['user/ci', 'role/a', 'bucket', `admin:${ACCT}`, 'role/b', 'role/c', 'secret', 'island']);
    for (const name of ['role/b', 'role/c', 'secret', 'island']) {
      expect(depthOf(s.index, r, s.v(name))).toBe(4);
      expect(viaAdminOf(s.index, r, s.v(name))).toBe(s.v(`admin:${ACCT}`));
      // Reached through a conditional admin edge: conditional too.
      expect(conditionalOf(r, s.v(name))).toBe(true);
    }
    expect(routeTo(s.index, r, s.v('secret')).map(id)).toEqual(['aws:key:AKIA1', 'user/ci', 'role/a', `admin:${ACCT}`, 'secret']);
    // The bucket was reached directly (Read): it keeps its route, but its access level is now admin.
    expect(viaAdminOf(s.index, r, s.v('bucket'))).toBe(-1);
    expect(depthOf(s.index, r, s.v('bucket'))).toBe(3);
    expect(accessOf(r, s.v('bucket'))).toBe(5);
    expect(id(r.accessVia[s.v('bucket')]!)).toBe(`admin:${ACCT}`);
    // Nothing in another boundary, and the walk does not continue from what the admin node gives.
    expect(depthOf(s.index, r, s.v('other/role'))).toBe(-1);
    const sum = summarize(s.index, r);
    expect(sum.byBoundary).toEqual([{ boundary: s.v(ACCT), identities: 5, resources: 2, credentials: 0, admin: true, viaAdmin: { identities: 3, resources: 1, credentials: 0 } }]);
    expect(sum.byAccessLevel).toEqual({ admin: 2 });
    // Within max depth only: the admin node at depth 3 gives its boundary at depth 4.
    expect([...blastRadius(s.index, s.v('aws:key:AKIA1'), { maxDepth: 3 }).reached].map(id)).toEqual(['user/ci', 'role/a', 'bucket', `admin:${ACCT}`]);
  });

  it('prefers an unconditional route of the same depth, and can leave conditional edges out', () => {
    const s = scenario(nodes, [
      ['user/ci', 'role/a', 'CAN_ASSUME', { conditional: 'aws:SourceIp in 10.0.0.0/8' }],
      ['user/ci', 'role/b', 'CAN_ASSUME'],
      ['role/a', 'role/c', 'CAN_ASSUME'],
      ['role/b', 'role/c', 'CAN_ASSUME'],
      ['role/a', 'secret', 'CAN_ACCESS', { accessLevel: 'Read' }],
    ]);
    const r = blastRadius(s.index, s.v('user/ci'));
    expect(conditionalOf(r, s.v('role/c'))).toBe(false);
    expect(s.index.id(parentOf(s.index, r, s.v('role/c')))).toBe('role/b');
    expect(conditionalOf(r, s.v('role/a'))).toBe(true);
    expect(conditionalOf(r, s.v('secret'))).toBe(true);

    const strict = blastRadius(s.index, s.v('user/ci'), { includeConditional: false });
    expect([...strict.reached].map((v) => s.index.id(v)).sort()).toEqual(['role/b', 'role/c']);
  });

  it('keeps the highest access level on a resource and the identity that has it', () => {
    const s = scenario(nodes, [
      ['user/ci', 'role/a', 'CAN_ASSUME'],
      ['user/ci', 'role/b', 'CAN_ASSUME'],
      ['role/a', 'bucket', 'CAN_ACCESS', { accessLevel: 'Read' }],
      ['role/b', 'bucket', 'CAN_ACCESS', { accessLevel: 'Permissions management' }],
      ['role/a', 'secret', 'CAN_ACCESS', { accessLevel: 'List' }],
    ]);
    const r = blastRadius(s.index, s.v('user/ci'));
    expect(accessOf(r, s.v('bucket'))).toBe(4);
    expect(s.index.id(r.accessVia[s.v('bucket')]!)).toBe('role/b');
    expect(summarize(s.index, r).byAccessLevel).toEqual({ 'Permissions management': 1, List: 1 });
  });

  it('stops at max depth', () => {
    const s = scenario(nodes, [
      ['user/ci', 'role/a', 'CAN_ASSUME'],
      ['role/a', 'role/b', 'CAN_ASSUME'],
      ['role/b', 'role/c', 'CAN_ASSUME'],
    ]);
    const r = blastRadius(s.index, s.v('user/ci'), { maxDepth: 2 });
    expect([...r.reached].map((v) => s.index.id(v))).toEqual(['role/a', 'role/b']);
  });

  it('observed-only follows activity within the window, plus the credential → identity step', () => {
    const s = scenario(nodes, [
      ['aws:key:AKIA1', 'user/ci', 'AUTHENTICATES_AS'],
      ['user/ci', 'role/a', 'CAN_ASSUME'],
      ['user/ci', 'role/b', 'OBSERVED_USE', { firstSeen: '2026-03-01T00:00:00Z', lastSeen: '2026-03-10T00:00:00Z', count: 4 }],
      ['role/b', 'bucket', 'OBSERVED_USE', { firstSeen: '2026-05-01T00:00:00Z', lastSeen: '2026-05-02T00:00:00Z', count: 1 }],
    ]);
    const all = blastRadius(s.index, s.v('aws:key:AKIA1'), { observedOnly: true });
    expect([...all.reached].map((v) => s.index.id(v))).toEqual(['user/ci', 'role/b', 'bucket']);
    const march = blastRadius(s.index, s.v('aws:key:AKIA1'), { observedOnly: true, since: '2026-03-05T00:00:00Z', until: '2026-04-01T00:00:00Z' });
    expect([...march.reached].map((v) => s.index.id(v))).toEqual(['user/ci', 'role/b']);
    const later = blastRadius(s.index, s.v('aws:key:AKIA1'), { observedOnly: true, since: '2026-06-01T00:00:00Z' });
    expect([...later.reached].map((v) => s.index.id(v))).toEqual(['user/ci']);
  });
});
