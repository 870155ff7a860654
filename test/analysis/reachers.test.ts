import { describe, expect, it } from 'vitest';
import { reachers } from '../../src/analysis/reachers.js';
import { cli, tempCase } from '../helpers.js';
import { scenario } from './scenario.js';

describe('reachers: the reverse of blast radius', () => {
  // k → u → t; u → a → t and u → b → t (u: three shortest routes? no: one of length 1, so one); x → y → t twice
  // over; c reaches t only by a conditional edge; adm holds the account t is in; z → adm.
  const s = scenario(
    [
      { id: 'acct', kind: 'aws_account' },
      { id: 'admin:acct', kind: 'admin', boundary: 'acct' },
      { id: 't', kind: 'aws_bucket', boundary: 'acct' },
      { id: 'u', kind: 'aws_user', boundary: 'acct' },
      { id: 'k', kind: 'aws_access_key' },
      { id: 'x', kind: 'aws_user' },
      { id: 'y1', kind: 'aws_role' },
      { id: 'y2', kind: 'aws_role' },
      { id: 'c', kind: 'aws_role' },
      { id: 'z', kind: 'aws_user' },
      { id: 'far', kind: 'aws_user' },
    ],
    [
      ['k', 'u', 'AUTHENTICATES_AS'],
      ['u', 't', 'CAN_ACCESS', { accessLevel: 'Read' }],
      ['x', 'y1', 'CAN_ASSUME'],
      ['x', 'y2', 'CAN_ASSUME'],
      ['y1', 't', 'CAN_ACCESS'],
      ['y2', 't', 'CAN_ACCESS'],
      ['c', 't', 'CAN_ACCESS', { conditional: 'aws:SourceIp' }],
      ['z', 'admin:acct', 'ADMIN_OF'],
      ['u', 'admin:acct', 'ADMIN_OF', { conditional: 'MFA' }],
    ],
  );
  const r = reachers(s.index, s.v('t'));

  it('counts depth and shortest routes; conditional only when every route needs a condition', () => {
    const at = (id: string) => ({ depth: r.direct.depth[s.v(id)]! - 1, routes: r.direct.routes[s.v(id)], firm: r.direct.firm[s.v(id)] });
    expect(at('u')).toEqual({ depth: 1, routes: 1, firm: 1 });
    expect(at('k')).toEqual({ depth: 2, routes: 1, firm: 1 });
    expect(at('x')).toEqual({ depth: 2, routes: 2, firm: 1 });
    expect(at('c')).toEqual({ depth: 1, routes: 1, firm: 0 });
    expect(r.direct.depth[s.v('far')]).toBe(0);
  });

  it('through the admin node of the target\'s account', () => {
    expect(s.index.id(r.admin)).toBe('admin:acct');
    expect(r.viaAdmin!.depth[s.v('z')]! - 1).toBe(1);
    expect(r.viaAdmin!.firm[s.v('u')]).toBe(0);
    expect(r.direct.depth[s.v('z')]).toBe(0);
  });

  it('traversal filters apply: without conditional edges, c does not reach it', () => {
    const f = reachers(s.index, s.v('t'), { includeConditional: false });
    expect(f.direct.depth[s.v('c')]).toBe(0);
    expect(f.viaAdmin!.depth[s.v('u')]).toBe(0);
  });
});

describe('blastmap reachers on the demo case', () => {
  it('lists who can reach the production customer bucket, directly and through admin; --json is the API shape', async () => {
    const path = tempCase();
    expect((await cli('demo', '--case', path)).code).toBe(0);
    const json = await cli('reachers', 'nw-prod-customer-data', '--case', path, '--json');
    expect(json.code, json.err).toBe(0);
    const r = JSON.parse(json.out) as { target: { id: string }; admin?: { id: string }; reachers: { node: { id: string; category: string; marks: string[] }; direct: boolean; throughAdmin: boolean; paths: number; depth: number }[]; counts: { identities: number; credentials: number; direct: number; throughAdmin: number } };
    expect(r.target.id).toBe('arn:aws:s3:::nw-prod-customer-data');
    expect(r.admin?.id).toBe('admin:aws:account:222222222222');
    expect(r.counts.identities + r.counts.credentials).toBe(r.reachers.length);
    expect(r.reachers.every((x) => x.node.category === 'identity' || x.node.category === 'credential')).toBe(true);
    // The backup agent the bucket policy names reads it directly.
    expect(r.reachers.find((x) => x.node.id.endsWith(':user/backup-agent'))).toMatchObject({ direct: true, depth: 1, paths: 1 });
    // The leaked CI key reaches production admin, and so the bucket.
    const leaked = r.reachers.find((x) => x.node.marks.includes('compromised'));
    expect(leaked).toMatchObject({ node: { category: 'credential' }, throughAdmin: true });
    expect(r.counts.throughAdmin).toBeGreaterThan(0);
    // Direct reachers come first.
    const firstIndirect = r.reachers.findIndex((x) => !x.direct);
    if (firstIndirect >= 0) expect(r.reachers.slice(firstIndirect).every((x) => !x.direct)).toBe(true);
    const depths = r.reachers.filter((x) => x.direct).map((x) => x.depth);
    expect(depths).toEqual([...depths].sort((a, b) => a - b));

    const text = await cli('reachers', 'nw-prod-customer-data', '--case', path, '--limit', '3');
    expect(text.code).toBe(0);
    expect(text.out).toMatch(/^who can reach nw-prod-customer-data \[aws_bucket\]\n/);
    expect(text.out).toContain(`${r.counts.identities} identities and ${r.counts.credentials} credentials`);
    expect(text.out).toContain('… more');
    const unknown = await cli('reachers', 'no-such-thing', '--case', path);
    expect(unknown.code).toBe(2);
  });
});
