// Terraform benchmark: a synthetic `terraform show -json` state of 20,000 resources (AWS IAM roles, their inline and
// attached policies, users, access keys, groups and memberships, customer policies; GCP service accounts and project
// IAM members; kubernetes provider service accounts and bindings; child modules), imported end to end. Baseline in
// the same run: reading and JSON.parse of the file.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openEngine } from '../../src/api/engine.js';
import { median } from './measure.js';
import type { BenchOptions } from './run.js';

const A = '210987654321';
const AWS = 'registry.terraform.io/hashicorp/aws';

function res(address: string, type: string, name: string, provider: string, values: object, index?: number): object {
  return { address, mode: 'managed', type, name, ...(index !== undefined ? { index } : {}), provider_name: provider, schema_version: 0, values, sensitive_values: {} };
}

export function syntheticState(resources: number): object {
  // 8 role resources per 2 roles, 8¼ per unit of the rest: 16¼ resources per unit.
  const unit = Math.max(1, Math.round(resources / 16.25));
  const root: object[] = [];
  const modules = new Map<string, object[]>();
  const add = (mod: string | undefined, r: object) => (mod ? (modules.get(mod) ?? modules.set(mod, []).get(mod)!).push(r) : root.push(r));
  const trust = (i: number) => JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: i % 4 === 0 ? { Service: 'ec2.amazonaws.com' } : { AWS: `arn:aws:iam::${A}:role/role-${(i + 1) % (unit * 2)}` }, Action: 'sts:AssumeRole' }] });
  const policy = (i: number) => JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: i % 50 === 0 ? ['iam:PassRole', 'ec2:RunInstances'] : ['s3:GetObject', 's3:ListBucket'], Resource: i % 50 === 0 ? '*' : `arn:aws:s3:::bucket-${i % 300}/*` }] });
  for (let i = 0; i < unit * 2; i++) {
    const mod = i % 2 ? `module.team_${i % 40}` : undefined;
    const pre = mod ? `${mod}.` : '';
    add(mod, res(`${pre}aws_iam_role.r${i}`, 'aws_iam_role', `r${i}`, AWS, { arn: `arn:aws:iam::${A}:role/role-${i}`, assume_role_policy: trust(i), id: `role-${i}`, name: `role-${i}`, path: '/', unique_id: `AROABENCH${i}`, max_session_duration: 3600, tags: { owner: `team-${i % 40}` }, inline_policy: [], managed_policy_arns: [] }));
    add(mod, res(`${pre}aws_iam_role_policy.r${i}`, 'aws_iam_role_policy', `r${i}`, AWS, { id: `role-${i}:inline`, name: 'inline', role: `role-${i}`, policy: policy(i) }));
    add(mod, res(`${pre}aws_iam_role_policy_attachment.r${i}a`, 'aws_iam_role_policy_attachment', `r${i}a`, AWS, { id: `role-${i}-a`, role: `role-${i}`, policy_arn: `arn:aws:iam::${A}:policy/p-${i % unit}` }));
    add(mod, res(`${pre}aws_iam_role_policy_attachment.r${i}b`, 'aws_iam_role_policy_attachment', `r${i}b`, AWS, { id: `role-${i}-b`, role: `role-${i}`, policy_arn: i % 97 === 0 ? 'arn:aws:iam::aws:policy/AdministratorAccess' : 'arn:aws:iam::aws:policy/ReadOnlyAccess' }));
  }
  for (let i = 0; i < unit; i++) {
    root.push(res(`aws_iam_policy.p${i}`, 'aws_iam_policy', `p${i}`, AWS, { arn: `arn:aws:iam::${A}:policy/p-${i}`, id: `arn:aws:iam::${A}:policy/p-${i}`, name: `p-${i}`, path: '/', policy: policy(i + 1), policy_id: `ANPABENCH${i}` }));
    root.push(res(`aws_iam_user.u${i}`, 'aws_iam_user', `u${i}`, AWS, { arn: `arn:aws:iam::${A}:user/user-${i}`, id: `user-${i}`, name: `user-${i}`, path: '/', unique_id: `AIDABENCH${i}` }));
    root.push(res(`aws_iam_access_key.u${i}`, 'aws_iam_access_key', `u${i}`, AWS, { id: `AKIABENCH${String(i).padStart(11, '0')}`, user: `user-${i}`, status: 'Active', create_date: '2024-01-01T00:00:00Z', secret: `bench-secret-${i}` }));
    root.push(res(`aws_iam_user_group_membership.u${i}`, 'aws_iam_user_group_membership', `u${i}`, AWS, { id: `m-${i}`, user: `user-${i}`, groups: [`group-${i % Math.max(1, Math.floor(unit / 4))}`] }));
    if (i < unit / 4) root.push(res(`aws_iam_group.g${i}`, 'aws_iam_group', `g${i}`, AWS, { arn: `arn:aws:iam::${A}:group/group-${i}`, id: `group-${i}`, name: `group-${i}`, path: '/' }));
    root.push(res(`google_service_account.s${i}`, 'google_service_account', `s${i}`, 'registry.terraform.io/hashicorp/google', { account_id: `sa-${i}`, email: `sa-${i}@bench-proj-${i % 20}.iam.gserviceaccount.com`, project: `bench-proj-${i % 20}`, unique_id: `1000${i}` }));
    root.push(res(`google_project_iam_member.s${i}`, 'google_project_iam_member', `s${i}`, 'registry.terraform.io/hashicorp/google', { project: `bench-proj-${i % 20}`, role: i % 100 === 0 ? 'roles/owner' : 'roles/storage.objectViewer', member: `serviceAccount:sa-${i}@bench-proj-${i % 20}.iam.gserviceaccount.com`, condition: [] }));
    root.push(res(`kubernetes_service_account_v1.k${i}`, 'kubernetes_service_account_v1', `k${i}`, 'registry.terraform.io/hashicorp/kubernetes', { metadata: [{ name: `sa-${i}`, namespace: `ns-${i % 100}`, annotations: {}, labels: {} }], automount_service_account_token: true }));
    root.push(res(`kubernetes_role_binding_v1.k${i}`, 'kubernetes_role_binding_v1', `k${i}`, 'registry.terraform.io/hashicorp/kubernetes', { metadata: [{ name: `rb-${i}`, namespace: `ns-${i % 100}` }], role_ref: [{ api_group: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' }], subject: [{ kind: 'ServiceAccount', name: `sa-${i}`, namespace: `ns-${i % 100}`, api_group: '' }] }));
  }
  return { format_version: '1.0', terraform_version: '1.9.5', values: { outputs: {}, root_module: { resources: root, child_modules: [...modules].map(([address, resources]) => ({ address, resources })) } } };
}

export async function bench(opts: BenchOptions): Promise<Record<string, number>> {
  const size = opts.quick ? 2000 : 20000;
  const doc = syntheticState(size);
  const path = join(opts.dir, 'terraform-bench.json');
  writeFileSync(path, JSON.stringify(doc));
  const resources = JSON.stringify(doc).match(/"mode":"managed"/g)?.length ?? 0;
  const runs = opts.quick ? 1 : 3;
  const raw = await median(runs, () => JSON.parse(readFileSync(path, 'utf8')));
  let counts = { nodes: 0, edges: 0, derivedEdges: 0, findings: 0 };
  const imp = await median(runs, async (i) => {
    const engine = openEngine(join(opts.dir, `terraform-${i}.blastmap`), { create: true });
    counts = (await engine.importFiles({ files: [{ path }], options: { cluster: 'bench' } })).counts;
    engine.close();
  });
  return {
    terraform_resources: resources,
    terraform_mb: Math.round(readFileSync(path).length / 1e6),
    terraform_raw_parse_ms: Math.round(raw.wallMs),
    terraform_import_derive_ms: Math.round(imp.wallMs),
    terraform_import_derive_slowest_ms: Math.round(imp.slowestMs),
    terraform_import_derive_cpu_ms: Math.round(imp.cpuMs),
    terraform_import_vs_raw_ratio: Number((imp.wallMs / raw.wallMs).toFixed(1)),
    terraform_nodes: counts.nodes,
    terraform_edges: counts.edges,
    terraform_derived_edges: counts.derivedEdges,
  };
}
