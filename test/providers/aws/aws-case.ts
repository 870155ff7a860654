import { recomputeDerived } from '../../../src/analysis/derive.js';
import { awsGaad } from '../../../src/importers/aws-gaad.js';
import { createInput } from '../../../src/importers/input.js';
import type { GraphFragment, Json, JsonObject } from '../../../src/model/fragment.js';
import type { EdgeKind } from '../../../src/model/kinds.js';
import type { NodeKind } from '../../../src/model/kinds.js';
import { inventoryMarker } from '../../../src/providers/aws/inventory.js';
import { CaseStore, type StoredEdge } from '../../../src/store/case-store.js';
import { parseAll, tempCase } from '../../helpers.js';

// Scenario builder: GAAD documents in the real export shape, imported through the real importer, plus
// fragments standing in for the other AWS importers (SCPs, resource policies), then derivation.

export interface AwsCase {
  store: CaseStore;
  edges(kind: EdgeKind): StoredEdge[];
  edge(from: string, to: string, kind: EdgeKind, technique?: string): StoredEdge | undefined;
}

export async function awsCase(docs: JsonObject[], extra: GraphFragment[] = []): Promise<AwsCase> {
  const store = CaseStore.open(tempCase(), { create: true });
  const now = new Date('2026-11-22T00:00:00Z');
  store.begin();
  const touched = new Set<string>();
  let i = 0;
  for (const doc of docs) {
    const name = `gaad-${++i}.json`;
    const fragment = await parseAll(awsGaad, createInput(name, Buffer.from(JSON.stringify(doc))));
    const id = store.addSource({ label: name, fileName: name, format: 'aws-gaad', sha256: String(i), importedAt: now.toISOString(), options: {} });
    store.writeFragment(id, fragment, touched);
  }
  for (const fragment of extra) {
    const name = `extra-${++i}.json`;
    const id = store.addSource({ label: name, fileName: name, format: 'test', sha256: String(i), importedAt: now.toISOString(), options: {} });
    store.writeFragment(id, fragment, touched);
  }
  store.materialize(touched);
  recomputeDerived(store, now);
  store.commit();
  const all = (kind: EdgeKind) => [...store.edgesOfKind(kind)];
  return {
    store,
    edges: all,
    edge: (from, to, kind, technique) => all(kind).find((e) => e.src === from && e.dst === to && (!technique || e.props.technique === technique)),
  };
}

export const A = '111122223333';
export const B = '444455556666';
export const arn = (account: string, type: 'user' | 'role' | 'group' | 'policy' | 'instance-profile', name: string) => `arn:aws:iam::${account}:${type}/${name}`;

type Doc = JsonObject;
export const doc = (...statements: JsonObject[]): Doc => ({ Version: '2012-10-17', Statement: statements });
export const allow = (action: Json, resource: Json = '*', condition?: JsonObject): JsonObject => ({ Effect: 'Allow', Action: action, Resource: resource, ...(condition ? { Condition: condition } : {}) });
export const deny = (action: Json, resource: Json = '*', condition?: JsonObject): JsonObject => ({ Effect: 'Deny', Action: action, Resource: resource, ...(condition ? { Condition: condition } : {}) });
export const trust = (principal: Json, action = 'sts:AssumeRole', condition?: JsonObject): Doc => doc({ Effect: 'Allow', Principal: principal, Action: action, ...(condition ? { Condition: condition } : {}) });

export interface UserSpec {
  name: string;
  policies?: Doc[];
  attached?: string[];
  groups?: string[];
  boundary?: string;
  tags?: Record<string, string>;
}
export interface RoleSpec {
  name: string;
  trust: Doc;
  policies?: Doc[];
  attached?: string[];
  /** An instance profile holding the role: true names it after the role, a string names it. */
  profile?: boolean | string;
  boundary?: string;
  path?: string;
}
export interface GroupSpec {
  name: string;
  policies?: Doc[];
  attached?: string[];
}
export interface PolicySpec {
  name: string;
  document: Doc;
  /** Non-default older versions. */
  older?: Doc[];
}

const profileName = (r: RoleSpec) => (typeof r.profile === 'string' ? r.profile : r.name);

/** A get-account-authorization-details document, as the AWS CLI prints it. */
export function gaad(account: string, spec: { users?: UserSpec[]; roles?: RoleSpec[]; groups?: GroupSpec[]; policies?: PolicySpec[] }): JsonObject {
  const inline = (docs: Doc[] | undefined) => (docs ?? []).map((d, i) => ({ PolicyName: `inline-${i + 1}`, PolicyDocument: d }));
  const attached = (arns: string[] | undefined) => (arns ?? []).map((a) => ({ PolicyArn: a, PolicyName: a.split('/').pop()! }));
  const pb = (b: string | undefined): JsonObject => (b ? { PermissionsBoundary: { PermissionsBoundaryType: 'Policy', PermissionsBoundaryArn: b } } : {});
  return {
    UserDetailList: (spec.users ?? []).map((u, i) => ({
      Path: '/',
      UserName: u.name,
      UserId: `AIDA${account}${String(i).padStart(5, '0')}`,
      Arn: arn(account, 'user', u.name),
      CreateDate: '2024-01-01T00:00:00Z',
      UserPolicyList: inline(u.policies),
      GroupList: u.groups ?? [],
      AttachedManagedPolicies: attached(u.attached),
      Tags: Object.entries(u.tags ?? {}).map(([Key, Value]) => ({ Key, Value })),
      ...pb(u.boundary),
    })),
    GroupDetailList: (spec.groups ?? []).map((g, i) => ({
      Path: '/',
      GroupName: g.name,
      GroupId: `AGPA${account}${String(i).padStart(5, '0')}`,
      Arn: arn(account, 'group', g.name),
      CreateDate: '2024-01-01T00:00:00Z',
      GroupPolicyList: inline(g.policies),
      AttachedManagedPolicies: attached(g.attached),
    })),
    RoleDetailList: (spec.roles ?? []).map((r, i) => ({
      Path: r.path ?? '/',
      RoleName: r.name,
      RoleId: `AROA${account}${String(i).padStart(5, '0')}`,
      Arn: arn(account, 'role', r.name),
      CreateDate: '2024-01-01T00:00:00Z',
      AssumeRolePolicyDocument: r.trust,
      InstanceProfileList: r.profile
        ? [{ Path: '/', InstanceProfileName: profileName(r), InstanceProfileId: `AIPA${account}${i}`, Arn: arn(account, 'instance-profile', profileName(r)), CreateDate: '2024-01-01T00:00:00Z', Roles: [{ Arn: arn(account, 'role', r.name), RoleName: r.name }] }]
        : [],
      RolePolicyList: inline(r.policies),
      AttachedManagedPolicies: attached(r.attached),
      Tags: [],
      RoleLastUsed: {},
      ...pb(r.boundary),
    })),
    Policies: (spec.policies ?? []).map((p, i) => ({
      PolicyName: p.name,
      PolicyId: `ANPA${account}${i}`,
      Arn: arn(account, 'policy', p.name),
      Path: '/',
      DefaultVersionId: `v${(p.older?.length ?? 0) + 1}`,
      AttachmentCount: 1,
      PermissionsBoundaryUsageCount: 0,
      IsAttachable: true,
      CreateDate: '2024-01-01T00:00:00Z',
      UpdateDate: '2024-01-01T00:00:00Z',
      PolicyVersionList: [
        { Document: p.document, VersionId: `v${(p.older?.length ?? 0) + 1}`, IsDefaultVersion: true, CreateDate: '2024-01-01T00:00:00Z' },
        ...(p.older ?? []).map((d, k) => ({ Document: d, VersionId: `v${k + 1}`, IsDefaultVersion: false, CreateDate: '2023-01-01T00:00:00Z' })),
      ],
    })),
  };
}

/** An inventory of one resource kind in account A: the resource runs with the role; the account is marked inventoried. */
export function inventory(kind: NodeKind, resourceArn: string, roleArn: string | undefined, account = A): GraphFragment {
  const uses = roleArn ? [{ from: resourceArn, to: roleArn, kind: 'USES_ROLE' as const }] : [];
  return {
    nodes: [
      { id: resourceArn, kind, name: resourceArn.split(/[:/]/).pop()!, boundary: `aws:account:${account}`, props: roleArn ? { role: roleArn } : {} },
      { id: `aws:account:${account}`, kind: 'aws_account', name: account, stub: true, props: { accountId: account, [inventoryMarker(kind)]: true } },
    ],
    edges: uses,
    warnings: [],
  };
}

