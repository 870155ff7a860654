import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openEngine } from '../../src/api/engine.js';
import { FIXTURES, REAL, tempCase } from '../helpers.js';

// Bindings to custom roles (projects/P/roles/R, organizations/O/roles/R) resolve through the roles' permissions as
// gcloud iam roles describe prints them; gcloud iam roles list has no permissions, which is said.

const gcp = (name: string) => join(FIXTURES, 'gcp', name);
const CAI = join(REAL, 'gcp', 'cai-export-resource-forseti-mock.jsonl');
const POLICY = gcp('gcloud-projects-get-iam-policy-project1-custom-roles.json');
const ROLES = ['gcloud-iam-roles-describe-project-ci-deployer.json', 'gcloud-iam-roles-describe-org-project-iam-editor.json', 'gcloud-iam-roles-list-project.json'].map(gcp);
const ADMIN = 'admin:gcp:project:project1';
const LEAD = 'gcp:member:user:lead@example.com';
const CI = 'gcp:sa:ci-runner@project1.iam.gserviceaccount.com';

describe('GCP custom roles', () => {
  it('resolve bindings: an org role with setIamPolicy is admin, a project role with key creation acts as the accounts', async () => {
    const engine = openEngine(tempCase(), { create: true });
    const result = await engine.importFiles({ files: [CAI, POLICY, ...ROLES].map((path) => ({ path })), options: { project: 'project1' } });
    expect(result.sources.filter((s) => s.format === 'gcp-custom-roles')).toHaveLength(3);
    expect(result.warnings).toContainEqual(expect.objectContaining({ file: 'gcloud-iam-roles-list-project.json', message: expect.stringMatching(/^2 role\(s\) without their permissions \(gcloud iam roles list omits them\)/) }));
    const [path] = await engine.paths({ from: LEAD, to: 'admin' });
    expect(path?.steps.map((s) => [s.edge.kind, s.to.id])).toEqual([['ADMIN_OF', ADMIN]]);
    expect(path?.steps[0]?.edge.evidence.map((e) => e.type)).toEqual(['iam-binding', 'iam-role']);
    expect(path?.steps[0]?.edge.evidence[1]?.summary).toContain('resourcemanager.projects.setIamPolicy');
    const ci = await engine.node({ id: CI });
    const escalations = ci.out.filter((o) => o.edge.kind === 'CAN_ESCALATE');
    expect(escalations.map((o) => o.other.id)).toContain('gcp:sa:1041-compute@developer.gserviceaccount.com');
    expect(escalations[0]?.edge.technique).toBe('iam.serviceAccountKeys.create');
    expect(escalations[0]?.edge.conditional).toBeUndefined();
    // The role known only from the list grants nothing seen; the group holding it reaches nothing.
    expect((await engine.node({ id: 'gcp:member:group:auditors@example.com' })).out.filter((o) => o.edge.derived)).toEqual([]);
    engine.close();
  });

  it('without the role definitions, the same bindings give nothing', async () => {
    const engine = openEngine(tempCase(), { create: true });
    await engine.importFiles({ files: [CAI, POLICY].map((path) => ({ path })), options: { project: 'project1' } });
    expect(await engine.paths({ from: LEAD, to: 'admin' })).toEqual([]);
    expect((await engine.node({ id: CI })).out.filter((o) => o.edge.kind === 'CAN_ESCALATE')).toEqual([]);
    engine.close();
  });
});
