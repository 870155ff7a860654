import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { awsResourcePolicy } from '../../src/importers/aws-resource-policy.js';
import { createInput } from '../../src/importers/input.js';
import { detectImporter } from '../../src/importers/registry.js';
import { readFileSync } from 'node:fs';
import { FIXTURES, ROOT } from '../helpers.js';
import { importPaths, newCase, parseText } from './aws-helpers.js';

// `aws secretsmanager get-resource-policy` of a secret that has no resource policy prints only {ARN, Name}: a valid
// output, imported as the secret with no resource-policy grants (identity policies still reach it).

const NO_POLICY = join(FIXTURES, 'aws', 'secretsmanager-get-resource-policy-no-policy.json');
const SECRET = 'arn:aws:secretsmanager:eu-west-1:111111111111:secret:ci/deploy-token-Qx7T2b';

describe('a secret without a resource policy', () => {
  it('is recognised and imported with a known-empty policy, beside the files dropped with it', async () => {
    expect(detectImporter(createInput('policy.json', readFileSync(NO_POLICY))).format).toBe('aws-resource-policy');
    const engine = newCase();
    await importPaths(engine, [NO_POLICY, join(ROOT, 'assets', 'demo', 'aws-dev-gaad.json')]);
    const secret = await engine.node({ id: SECRET });
    expect(secret.node).toMatchObject({ kind: 'aws_secret', name: 'ci/deploy-token', boundary: 'aws:account:111111111111', stub: false });
    expect(secret.props['resourcePolicy']).toBeNull();
    // dana.ops holds AdministratorAccess: her identity policy alone reaches the secret in her account.
    expect(secret.in.some((i) => i.edge.kind === 'CAN_ACCESS' && i.other.id === 'arn:aws:iam::111111111111:user/dana.ops')).toBe(true);
    engine.close();
  });

  it('says nothing of the policy for other outputs naming a secret (describe-secret), and does not detect them', async () => {
    const describe = JSON.stringify({ ARN: SECRET, Name: 'ci/deploy-token', Description: 'deploy token', LastChangedDate: '2026-01-02T03:04:05+00:00', VersionIdsToStages: {} }, null, 4);
    expect(() => detectImporter(createInput('describe.json', Buffer.from(describe)))).toThrow(/not a format Blastmap recognises/);
    const f = await parseText(awsResourcePolicy, 'describe.json', describe);
    expect(f.nodes.find((n) => n.id === SECRET)?.props).toEqual({ secretName: 'ci/deploy-token' });
  });
});
