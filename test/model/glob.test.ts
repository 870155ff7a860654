import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { actionMatches } from '../../src/analysis/findings/common.js';
import { Glob, globMatch } from '../../src/model/glob.js';
import { allows } from '../../src/providers/azure/rbac.js';
import { cli, FIXTURES, tempCase, tempDir } from '../helpers.js';

/** What the wildcard patterns were before: a RegExp (same answers, exponential on some patterns). */
const asRegExp = (pattern: string, text: string, questionMark = true) =>
  new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\?/g, questionMark ? '.' : '\\?').replace(/\*/g, '.*')}$`, 's').test(text);

describe('wildcard patterns', () => {
  it('match exactly as the regular expressions they replace', () => {
    const chars = fc.constantFrom('a', 'b', ':', '*', '?', '.', '/');
    fc.assert(
      fc.property(fc.string({ unit: chars, maxLength: 10 }), fc.string({ unit: fc.constantFrom('a', 'b', ':', '.', '/', '?', '*'), maxLength: 14 }), fc.boolean(), (pattern, text, q) => {
        expect(globMatch(pattern, text, q)).toBe(asRegExp(pattern, text, q));
      }),
      { numRuns: 3000 },
    );
    expect(new Glob('S3:Get*', { caseInsensitive: true }).test('s3:GetObject')).toBe(true);
    expect(new Glob('Microsoft.Storage/*/read', { caseInsensitive: true, questionMark: false }).test('microsoft.storage/accounts/read')).toBe(true);
  });

  it('never backtrack exponentially: a pattern of many wildcards answers at once (a RegExp took 7 minutes)', () => {
    const started = performance.now();
    expect(globMatch('*a'.repeat(14) + '*b', 'a'.repeat(40))).toBe(false);
    expect(globMatch('*a'.repeat(2000) + '*b', 'a'.repeat(5000))).toBe(false);
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it('a GAAD whose policy has such a pattern imports and derives in seconds', async () => {
    const gaad = JSON.parse(readFileSync(join(FIXTURES, 'aws', 'cloudmapper-demo-gaad.json'), 'utf8')) as { UserDetailList: Record<string, unknown>[]; RoleDetailList: Record<string, unknown>[] };
    gaad.UserDetailList[1]!['UserPolicyList'] = [{ PolicyName: 'odd', PolicyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: `arn:aws:iam::*:role/${'*a'.repeat(20)}*b` }] } }];
    // A role whose ARN the pattern is tried on: 40 a's and no b.
    const role: Record<string, unknown> = { ...gaad.RoleDetailList[0]!, RoleName: 'a'.repeat(40), RoleId: 'AROAEXAMPLEAAAAAAAAA1' };
    role['Arn'] = String(role['Arn']).replace(/role\/.*$/, `role/${'a'.repeat(40)}`);
    gaad.RoleDetailList.push(role);
    const file = join(tempDir(), 'gaad.json');
    writeFileSync(file, JSON.stringify(gaad));
    const started = performance.now();
    const r = await cli('import', file, '--case', tempCase());
    expect(r.code, r.err).toBe(0);
    expect(performance.now() - started).toBeLessThan(30_000);
  }, 60_000);
});

describe('patterns from exports of any size', () => {
  it('an ARM role action of a million characters is matched, not compiled into a RegExp V8 refuses', () => {
    const huge = `Microsoft.Authorization/${'x'.repeat(1_000_000)}/*`;
    expect(allows([{ actions: [huge], notActions: [], dataActions: [], notDataActions: [] }], 'Microsoft.Authorization/roleAssignments/write')).toBe(false);
    expect(actionMatches(`iam:${'*'.repeat(100_000)}Get${'?'.repeat(4)}`, 'iam:GetRole')).toBe(true);
  });
});
