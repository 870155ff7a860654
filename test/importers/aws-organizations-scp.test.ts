import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { awsOrganizationsScp } from '../../src/importers/aws-organizations-scp.js';
import { createInput } from '../../src/importers/input.js';
import { detectImporter } from '../../src/importers/registry.js';
import { FIXTURES } from '../helpers.js';
import { byId, failedImport, files, importPaths, newCase, nodeByRef, parseFile, parseText } from './aws-helpers.js';

const DESCRIBE = join(FIXTURES, 'aws', 'scp-describe-policy-deny-leave-org.json');
const TARGETS = join(FIXTURES, 'aws', 'scp-targets-p-9x7kqm2a.json');
const LIST = join(FIXTURES, 'aws', 'scp-list-policies.json');
const ARN = 'arn:aws:organizations::999999999999:policy/o-a1b2c3d4e5/service_control_policy/p-9x7kqm2a';
const read = (p: string) => readFileSync(p, 'utf8');
const TARGETS_OUT = [
  { targetId: 'ou-a1b2-5tq8c3zd', type: 'ORGANIZATIONAL_UNIT', name: 'Workloads', arn: 'arn:aws:organizations::999999999999:ou/o-a1b2c3d4e5/ou-a1b2-5tq8c3zd' },
  { targetId: '222222222222', type: 'ACCOUNT', name: 'northwind-prod', arn: 'arn:aws:organizations::999999999999:account/o-a1b2c3d4e5/222222222222' },
];

describe('AWS Organizations SCP importer', () => {
  it('reads describe-policy: the document parsed from its JSON string', async () => {
    const f = await parseFile(awsOrganizationsScp, DESCRIBE);
    const scp = byId(f).get(ARN);
    expect(scp).toMatchObject({ kind: 'aws_scp', name: 'DenyLeaveOrgAndIamUsers', stub: false, boundary: 'aws:account:999999999999' });
    expect(scp?.props).toMatchObject({ policyName: 'DenyLeaveOrgAndIamUsers', awsManaged: false, policyId: 'p-9x7kqm2a' });
    const doc = scp?.props?.['document'] as { Statement: { Sid: string; Action: unknown }[] };
    expect(doc.Statement.map((s) => s.Sid)).toEqual(['DenyLeave', 'DenyIamUsers']);
    expect(doc.Statement[1]?.Action).toEqual(['iam:CreateUser', 'iam:CreateAccessKey']);
    // Targets unknown from describe-policy alone: absent, not empty.
    expect(scp?.props).not.toHaveProperty('targets');
  });

  it('attaches targets saved with their policy: one wrapper object, concatenated outputs, or an array', async () => {
    const policy = JSON.parse(read(DESCRIBE)) as { Policy: unknown };
    const targets = JSON.parse(read(TARGETS)) as { Targets: unknown };
    for (const text of [
      JSON.stringify({ Policy: policy.Policy, Targets: targets.Targets }),
      `${read(DESCRIBE)}\n${read(TARGETS)}`,
      JSON.stringify([policy, targets]),
    ]) {
      const f = await parseText(awsOrganizationsScp, 'scp.json', text);
      expect(byId(f).get(ARN)?.props?.['targets']).toEqual(TARGETS_OUT);
      expect(f.warnings).toEqual([]);
      expect(byId(f).get('aws:account:222222222222')).toMatchObject({ kind: 'aws_account', stub: true });
    }
  });

  it('attaches a bare targets file by the policy id in its name, with a warning, and merges with describe-policy', async () => {
    const f = await parseFile(awsOrganizationsScp, TARGETS);
    expect(f.warnings).toEqual([{ message: expect.stringMatching(/p-9x7kqm2a, taken from the file name/), location: '$.Targets' }]);
    expect(byId(f).get(ARN)).toMatchObject({ stub: true, props: { targets: TARGETS_OUT } });

    const engine = newCase();
    await importPaths(engine, [TARGETS, DESCRIBE, LIST]);
    const scp = await nodeByRef(engine, 'p-9x7kqm2a');
    expect(scp.node).toMatchObject({ id: ARN, stub: false, name: 'DenyLeaveOrgAndIamUsers' });
    expect(scp.props).toMatchObject({ targets: TARGETS_OUT, document: { Version: '2012-10-17' }, description: 'Accounts may not leave the organization or create IAM users' });
    const full = await nodeByRef(engine, 'FullAWSAccess');
    expect(full.node).toMatchObject({ id: 'arn:aws:organizations::aws:policy/service_control_policy/p-FullAWSAccess', stub: true });
    expect(full.props).toMatchObject({ awsManaged: true });
    engine.close();
  });

  it('refuses bare targets that cannot be placed, and says how to save them', async () => {
    const engine = newCase();
    const err = await failedImport(engine, files({ 'targets.json': read(TARGETS) }));
    expect(err.message).toMatch(/targets\.json \(\$\.Targets\): list-targets-for-policy output does not name its policy; save describe-policy and list-targets-for-policy/);
    expect(err.location).toBe('$.Targets');
    const two = await failedImport(engine, files({ 'two.json': JSON.stringify([JSON.parse(read(DESCRIBE)), JSON.parse(read(DESCRIBE).replaceAll('p-9x7kqm2a', 'p-11111111')), JSON.parse(read(TARGETS))]) }));
    expect(two.message).toMatch(/the file describes 2/);
    const clash = await failedImport(engine, files({ 'targets-p-aaaaaaaa.json': `${read(DESCRIBE)}\n${read(TARGETS)}` }));
    expect(clash.message).toMatch(/the file name names policy p-aaaaaaaa but the file describes p-9x7kqm2a/);
    engine.close();
  });

  it.each([
    ['{"Policy": {"PolicySummary": {"Id": "p-12345678", "Arn": "arn:aws:organizations::999999999999:policy/o-a1b2c3d4e5/service_control_policy/p-12345678", "Type": "SERVICE_CONTROL_POLICY"}, "Content": "{\\"Statement\\": ["}}', '$.Policy.Content', /not valid JSON/],
    ['{"Policy": {"PolicySummary": {"Id": "p-12345678", "Arn": "p-12345678"}, "Content": "{}"}}', '$.Policy.PolicySummary.Arn', /not an Organizations policy ARN/],
    ['{"Targets": [{"TargetId": "222222222222", "Type": "USER"}]}', '$.Targets[0].Type', /ACCOUNT, ORGANIZATIONAL_UNIT or ROOT/],
  ])('rejects %s at %s', async (text, location, message) => {
    const engine = newCase();
    const err = await failedImport(engine, files({ 'targets-p-12345678.json': text }));
    expect(err.location).toBe(location);
    expect(err.message).toMatch(message);
    engine.close();
  });

  it('skips other Organizations policy types with a warning', async () => {
    const text = JSON.stringify({ Policies: [{ Id: 'p-tagpol01', Arn: 'arn:aws:organizations::999999999999:policy/o-a1b2c3d4e5/tag_policy/p-tagpol01', Name: 'Tags', Type: 'TAG_POLICY', AwsManaged: false }] });
    const f = await parseText(awsOrganizationsScp, 'p.json', text);
    expect(f.nodes).toEqual([]);
    expect(f.warnings[0]?.message).toMatch(/TAG_POLICY, not a service control policy/);
  });

  it('is detected from content', () => {
    for (const p of [DESCRIBE, TARGETS, LIST]) expect(detectImporter(createInput('x.json', readFileSync(p))).format).toBe('aws-organizations-scp');
  });
});
