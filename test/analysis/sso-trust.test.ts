import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openEngine } from '../../src/api/engine.js';
import { FIXTURES, tempCase } from '../helpers.js';

// IAM Identity Center creates one AWSReservedSSO_<permission set>_<suffix> role per permission set and account,
// trusting the account's AWSSSO_…_DO_NOT_DELETE SAML provider with only SAML:aud: Identity Center decides which
// user gets which role. That is the normal SSO trust, not a wildcard-subject finding (a GitHub OIDC pattern still is).

describe('IAM Identity Center roles', () => {
  it('are not reported as trusting the wildcard subject, nor as identities without an owner', async () => {
    const engine = openEngine(tempCase(), { create: true });
    await engine.importFiles({ files: [{ path: join(FIXTURES, 'aws', 'gaad-identity-center-sso-roles.json') }] });
    const findings = await engine.findings({});
    const about = (name: string) => findings.filter((f) => f.nodeId.includes(name)).map((f) => f.rule);
    expect(about('AWSReservedSSO_AdministratorAccess')).not.toContain('oidc-trust-without-subject');
    expect(about('AWSReservedSSO_ReadOnlyAccess')).toEqual([]);
    expect(about('AWSReservedSSO_AdministratorAccess')).not.toContain('identity-no-owner');
    expect(findings.filter((f) => /wildcard subject \*$/.test(f.title))).toEqual([]);
    // The GitHub role trusting repo:northwind/* is still reported, and still has no owner.
    expect(about('role/gha-deploy').sort()).toEqual(['identity-no-owner', 'oidc-trust-without-subject']);
    // The federation itself is kept: whoever Identity Center assigns can assume the role, up to admin.
    const provider = 'arn:aws:iam::210987654321:saml-provider/AWSSSO_5c3b0a1d9e7f2468_DO_NOT_DELETE';
    const [path] = await engine.paths({ from: `federated:${provider}:*`, to: 'admin' });
    expect(path?.steps.map((s) => s.edge.kind)).toEqual(['CAN_ASSUME', 'ADMIN_OF']);
    engine.close();
  });
});
