import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES } from '../../helpers.js';
import { importPaths, newCase } from '../../importers/aws-helpers.js';

const REPORT = join(FIXTURES, 'aws', 'cloudmapper-demo-credential-report.json');
const ROOT_KEY = 'aws:keyslot:arn:aws:iam::123456789012:root:1';

describe('aws-root-admin rule', () => {
  it('a root access key leads to admin of its account', async () => {
    const engine = newCase();
    await importPaths(engine, [REPORT]);
    const paths = await engine.paths({ from: ROOT_KEY, to: 'admin' });
    expect(paths).toHaveLength(1);
    expect(paths[0]!.steps.map((s) => [s.edge.kind, s.to.id])).toEqual([
      ['AUTHENTICATES_AS', 'arn:aws:iam::123456789012:root'],
      ['ADMIN_OF', 'admin:aws:account:123456789012'],
    ]);
    const adminStep = paths[0]!.steps[1]!.edge;
    expect(adminStep).toMatchObject({ derived: true, technique: 'root user' });
    expect(adminStep.conditional).toBeUndefined();
    expect(adminStep.evidence[0]?.summary).toMatch(/root user of account 123456789012/);
    // An ordinary user's key does not reach admin from the report alone.
    expect(await engine.paths({ from: 'aws:keyslot:arn:aws:iam::123456789012:user/auditor_tmp:1', to: 'admin' })).toEqual([]);
    engine.close();
  });

  it('is conditional when the case holds SCPs', async () => {
    const engine = newCase();
    await importPaths(engine, [REPORT, join(FIXTURES, 'aws', 'scp-describe-policy-deny-leave-org.json')]);
    const paths = await engine.paths({ from: 'arn:aws:iam::123456789012:root', to: 'admin' });
    expect(paths[0]?.steps[0]?.edge.conditional).toMatch(/SCPs restrict the root user of member account 123456789012/);
    expect(paths[0]?.conditional).toBe(true);
    engine.close();
  });
});
