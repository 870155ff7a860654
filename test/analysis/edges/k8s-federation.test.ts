import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { GraphFragment } from '../../../src/model/fragment.js';
import { openEngine } from '../../../src/api/engine.js';
import { FIXTURES, ROOT } from '../../helpers.js';
import { k8sCase, sa, yaml } from './k8s-case.js';

const PROVIDER = 'arn:aws:iam::111122223333:oidc-provider/oidc.eks.us-west-2.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE';
const ISSUER = 'oidc.eks.us-west-2.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE';
const ROLE = 'arn:aws:iam::111122223333:role/s3-reader';

function roleFacts(arn: string, trustPolicy: object): GraphFragment {
  return { nodes: [{ id: arn, kind: 'aws_role', name: arn.split('/').pop()!, boundary: 'aws:account:111122223333', props: { roleName: arn.split('/').pop()!, trustPolicy: trustPolicy as never } }], edges: [], warnings: [] };
}

function webIdentityTrust(condition: object): object {
  return { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Federated: PROVIDER }, Action: 'sts:AssumeRoleWithWebIdentity', Condition: condition }] };
}

const example = () => readFileSync(join(FIXTURES, 'kubernetes/eks-pod-identity-webhook-irsa-example-app.yaml'), 'utf8');

describe('k8s-federation: IRSA', () => {
  it('is unverified (conditional) while the role is not in the case, and makes a stub role', async () => {
    const c = await k8sCase({ 'example-app.yaml': example() });
    const [e] = c.edges('FEDERATES_TO');
    expect(e).toMatchObject({ src: 'k8s:test/default/serviceaccount/nginx', dst: ROLE, conditional: true });
    expect(e!.props.conditional).toContain('role trust not in the case');
    expect(c.store.node(ROLE)).toMatchObject({ kind: 'aws_role', stub: true, boundary: 'aws:account:111122223333' });
    expect(c.pairs('RUNS_AS')).toEqual(['default/deployment/nginx -> default/serviceaccount/nginx']);
    c.store.close();
  });

  it('is verified when the trust names the sub and the audience the annotation asks for', async () => {
    // The example annotates eks.amazonaws.com/audience: beta-sts.amazonaws.com.
    const trust = webIdentityTrust({ StringEquals: { [`${ISSUER}:sub`]: 'system:serviceaccount:default:nginx', [`${ISSUER}:aud`]: 'beta-sts.amazonaws.com' } });
    const c = await k8sCase({ 'example-app.yaml': example() }, { cluster: 'test' }, roleFacts(ROLE, trust));
    const [e] = c.edges('FEDERATES_TO');
    expect(e).toMatchObject({ dst: ROLE, conditional: false });
    expect(e!.props.evidence?.map((x) => x.type)).toEqual(['annotation', 'trust-statement']);
    expect(c.edges('FEDERATION_REFUSED')).toEqual([]);
    c.store.close();
  });

  it('accepts StringLike wildcards on sub', async () => {
    const trust = webIdentityTrust({ StringLike: { [`${ISSUER}:sub`]: 'system:serviceaccount:default:*' } });
    const c = await k8sCase({ 'a.yaml': sa('default', 'nginx', `  annotations:\n    eks.amazonaws.com/role-arn: ${ROLE}`) }, { cluster: 'test' }, roleFacts(ROLE, trust));
    expect(c.edges('FEDERATES_TO')).toHaveLength(1);
    c.store.close();
  });

  it('is refused — kept, not traversable — when the trust names another account or audience', async () => {
    const trust = webIdentityTrust({ StringEquals: { [`${ISSUER}:sub`]: 'system:serviceaccount:payments:payments-api', [`${ISSUER}:aud`]: 'sts.amazonaws.com' } });
    const c = await k8sCase({ 'example-app.yaml': example() }, { cluster: 'test' }, roleFacts(ROLE, trust));
    expect(c.edges('FEDERATES_TO')).toEqual([]);
    const [e] = c.edges('FEDERATION_REFUSED');
    expect(e).toMatchObject({ src: 'k8s:test/default/serviceaccount/nginx', dst: ROLE });
    expect(e!.props.reason).toContain('not system:serviceaccount:default:nginx');
    expect(e!.props.refused).toBe(true);
    c.store.close();
  });

  it('refuses a trust that only allows sts:AssumeRole to an AWS principal', async () => {
    const trust = { Statement: { Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:root' }, Action: 'sts:AssumeRole' } };
    const c = await k8sCase({ 'example-app.yaml': example() }, { cluster: 'test' }, roleFacts(ROLE, trust));
    expect(c.edges('FEDERATION_REFUSED')).toHaveLength(1);
    c.store.close();
  });
});

describe('k8s-federation: GKE and Azure Workload Identity, EKS Pod Identity', () => {
  it('links GKE and Azure annotations to the cloud identities (unverified without their policies)', async () => {
    const c = await k8sCase({
      'wi.yaml': yaml(
        sa('web', 'gke-app', '  annotations:\n    iam.gke.io/gcp-service-account: app@my-project.iam.gserviceaccount.com'),
        sa('web', 'az-app', '  annotations:\n    azure.workload.identity/client-id: 00000000-1111-2222-3333-444444444444'),
      ),
    });
    expect(c.pairs('FEDERATES_TO')).toEqual(['web/serviceaccount/az-app -> azure:appid:00000000-1111-2222-3333-444444444444', 'web/serviceaccount/gke-app -> gcp:sa:app@my-project.iam.gserviceaccount.com']);
    expect(c.edges('FEDERATES_TO').every((e) => e.conditional)).toBe(true);
    c.store.close();
  });

  it('checks a GKE service account IAM policy for roles/iam.workloadIdentityUser', async () => {
    const gsa = 'gcp:sa:app@my-project.iam.gserviceaccount.com';
    const facts = (member: string): GraphFragment => ({ nodes: [{ id: gsa, kind: 'gcp_service_account', name: 'app@my-project.iam.gserviceaccount.com', props: { iamPolicy: { bindings: [{ role: 'roles/iam.workloadIdentityUser', members: [member] }] } } }], edges: [], warnings: [] });
    const manifest = { 'wi.yaml': sa('web', 'gke-app', '  annotations:\n    iam.gke.io/gcp-service-account: app@my-project.iam.gserviceaccount.com') };
    const ok = await k8sCase(manifest, { cluster: 'test' }, facts('serviceAccount:my-project.svc.id.goog[web/gke-app]'));
    expect(ok.edges('FEDERATES_TO')).toMatchObject([{ conditional: false }]);
    ok.store.close();
    const no = await k8sCase(manifest, { cluster: 'test' }, facts('serviceAccount:my-project.svc.id.goog[web/other]'));
    expect(no.edges('FEDERATES_TO')).toEqual([]);
    expect(no.edges('FEDERATION_REFUSED')).toHaveLength(1);
    no.store.close();
  });

  it('turns an EKS Pod Identity association into FEDERATES_TO, checked against pods.eks.amazonaws.com trust', async () => {
    const assoc = JSON.stringify({
      association: {
        clusterName: 'prod-eks',
        namespace: 'payments',
        serviceAccount: 'payments-api',
        roleArn: ROLE,
        associationArn: 'arn:aws:eks:us-west-2:111122223333:podidentityassociation/prod-eks/a-abcdefghijklmnop1',
        associationId: 'a-abcdefghijklmnop1',
        tags: {},
        createdAt: '2026-01-05T10:00:00.000000+00:00',
        modifiedAt: '2026-01-05T10:00:00.000000+00:00',
        disableSessionTags: false,
      },
    });
    const good = { Statement: [{ Effect: 'Allow', Principal: { Service: 'pods.eks.amazonaws.com' }, Action: ['sts:AssumeRole', 'sts:TagSession'] }] };
    const ok = await k8sCase({ 'describe.json': assoc }, {}, roleFacts(ROLE, good));
    expect(ok.edges('FEDERATES_TO')).toMatchObject([{ src: 'k8s:prod-eks/payments/serviceaccount/payments-api', dst: ROLE, conditional: false }]);
    ok.store.close();
    // Without sts:TagSession EKS cannot assume the role (session tags are on by default).
    const noTag = { Statement: [{ Effect: 'Allow', Principal: { Service: 'pods.eks.amazonaws.com' }, Action: 'sts:AssumeRole' }] };
    const refused = await k8sCase({ 'describe.json': assoc }, {}, roleFacts(ROLE, noTag));
    expect(refused.edges('FEDERATES_TO')).toEqual([]);
    expect(refused.edges('FEDERATION_REFUSED')[0]!.props.reason).toContain('sts:TagSession');
    refused.store.close();
    // Session-tag conditions are checked: the role admits only another namespace's account.
    const tagged = { Statement: [{ Effect: 'Allow', Principal: { Service: 'pods.eks.amazonaws.com' }, Action: ['sts:AssumeRole', 'sts:TagSession'], Condition: { StringEquals: { 'aws:SourceAccount': '111122223333', 'aws:RequestTag/kubernetes-namespace': 'billing' } } }] };
    const other = await k8sCase({ 'describe.json': assoc }, {}, roleFacts(ROLE, tagged));
    expect(other.edges('FEDERATION_REFUSED')[0]!.props.reason).toContain('allows billing, not payments');
    other.store.close();
    const mine = { Statement: [{ Effect: 'Allow', Principal: { Service: 'pods.eks.amazonaws.com' }, Action: ['sts:AssumeRole', 'sts:TagSession'], Condition: { StringEquals: { 'aws:SourceAccount': '111122223333', 'aws:RequestTag/kubernetes-service-account': 'payments-api', 'aws:RequestTag/eks-cluster-name': 'prod-eks' } } }] };
    const same = await k8sCase({ 'describe.json': assoc }, {}, roleFacts(ROLE, mine));
    expect(same.edges('FEDERATES_TO')).toMatchObject([{ conditional: false }]);
    same.store.close();
  });
});

describe('the demo cluster prod-eks with the production account roles', () => {
  it('verifies payments-api and report-builder, refuses etl (annotated with a role that trusts only payments-api), and finds the deployer, the reader and the admin', async () => {
    // The roles' trust policies as the production GAAD export states them (AssumeRolePolicyDocument, URL-encoded or not).
    const gaad = JSON.parse(readFileSync(join(ROOT, 'assets/demo/aws-prod-gaad.json'), 'utf8')) as { RoleDetailList: { Arn: string; RoleName: string; AssumeRolePolicyDocument: unknown }[] };
    const roles: GraphFragment = { nodes: [], edges: [], warnings: [] };
    for (const r of gaad.RoleDetailList.filter((x) => x.RoleName.endsWith('-irsa'))) {
      const doc = typeof r.AssumeRolePolicyDocument === 'string' ? (JSON.parse(decodeURIComponent(r.AssumeRolePolicyDocument)) as object) : (r.AssumeRolePolicyDocument as object);
      roles.nodes.push({ id: r.Arn, kind: 'aws_role', name: r.RoleName, boundary: 'aws:account:222222222222', props: { roleName: r.RoleName, trustPolicy: doc as never } });
    }
    const c = await k8sCase({ 'kubectl-prod-eks.json': readFileSync(join(ROOT, 'assets/demo/kubectl-prod-eks.json'), 'utf8') }, { cluster: 'prod-eks' }, roles);
    expect(c.edges('FEDERATES_TO').map((e) => `${e.src.split('/').pop()} -> ${e.dst.split('/').pop()}${e.conditional ? ' (conditional)' : ''}`).sort()).toEqual([
      // The aws-auth ConfigMap maps the node role and the GitHub Actions deploy role into the cluster.
      'gha-deploy-platform -> gha-deploy:{{SessionName}}',
      'payments-api -> payments-irsa',
      'prod-eks-node -> system:node:{{EC2PrivateDNSName}}',
      'report-builder -> reporting-irsa',
    ]);
    expect(c.edges('FEDERATION_REFUSED').map((e) => `${e.src.split('/').pop()} -> ${e.dst.split('/').pop()}`)).toEqual(['etl -> payments-irsa']);
    expect(c.pairs('CAN_ESCALATE')).toEqual([
      // Pod creators in a namespace without Pod Security enforcement may escape to the nodes (conditional), where
      // the tokens of the running pods are.
      '_/node/* -> monitoring/serviceaccount/prometheus',
      '_/node/* -> payments/serviceaccount/payments-api',
      // prod's admin may act as the roles aws-auth maps into the cluster (admin-exits).
      'admin:aws:account:222222222222 -> arn:aws:iam::222222222222:role/gha-deploy-platform',
      'admin:aws:account:222222222222 -> arn:aws:iam::222222222222:role/prod-eks-node',
      // cluster-admin may run a pod as each federated account (admin-exits): not as etl, whose role refuses it.
      'admin:k8s:prod-eks -> payments/serviceaccount/payments-api',
      'admin:k8s:prod-eks -> reporting/serviceaccount/report-builder',
      'ci/serviceaccount/deployer -> _/node/*',
      'ci/serviceaccount/deployer -> payments/serviceaccount/default',
      'ci/serviceaccount/deployer -> payments/serviceaccount/payments-api',
    ]);
    expect(c.edges('CAN_ESCALATE').find((e) => e.dst.endsWith('/_/node/*'))?.conditional).toBe(true);
    expect(c.pairs('CAN_READ_CREDENTIAL')).toEqual(['monitoring/serviceaccount/prometheus -> payments/secret/payments-api-token']);
    expect(c.pairs('ADMIN_OF')).toEqual(['_/group/system:masters -> admin:k8s:prod-eks', 'kube-system/serviceaccount/legacy-admin -> admin:k8s:prod-eks']);
    const path = c.store.path;
    c.store.close();
    // Attack paths: the CI deployer reaches the payments role through payments-api; etl reaches no role at all.
    const engine = openEngine(path);
    const viaDeployer = await engine.paths({ from: 'k8s:prod-eks/ci/serviceaccount/deployer', to: 'arn:aws:iam::222222222222:role/payments-irsa' });
    expect(viaDeployer[0]?.steps.map((s) => s.edge.kind)).toEqual(['CAN_ESCALATE', 'FEDERATES_TO']);
    expect(await engine.paths({ from: 'k8s:prod-eks/analytics/serviceaccount/etl', to: 'arn:aws:iam::222222222222:role/payments-irsa' })).toEqual([]);
    engine.close();
  });
});

