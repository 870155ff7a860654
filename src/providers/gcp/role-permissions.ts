import { ACCESS_LEVELS, type AccessLevel } from '../../model/kinds.js';
import type { RoleEffect } from './iam.js';

// What a role grants, read from its permissions (a custom role, or a predefined role described with gcloud): the
// same three effects the predefined table gives — admin of the scope, acting as its service accounts, access to
// its services' resources — with the permission that decides each as the technique.

export interface PermissionEffect extends RoleEffect {
  /** Highest access level over all its permissions (a binding on one resource). */
  level?: AccessLevel;
  /** Per service host (storage.googleapis.com/): the access level its permissions give (a binding above resources). */
  hosts: Map<string, AccessLevel>;
}

const SET_IAM_POLICY = ['resourcemanager.organizations.setIamPolicy', 'resourcemanager.folders.setIamPolicy', 'resourcemanager.projects.setIamPolicy'];
// Each alone lets the holder act as a service account it covers, most direct first.
const ACT_AS: [string, string][] = [
  ['iam.serviceAccounts.getAccessToken', 'mints access tokens for the service account'],
  ['iam.serviceAccountKeys.create', 'creates keys for the service account'],
  ['iam.serviceAccounts.signJwt', 'signs JWTs as the service account'],
  ['iam.serviceAccounts.signBlob', 'signs blobs as the service account'],
  ['iam.serviceAccounts.implicitDelegation', 'gets tokens for it through a delegation chain'],
  ['iam.serviceAccounts.setIamPolicy', 'can set the service account IAM policy and grant itself token creation'],
];
// Permissions that start something running as a service account the holder may actAs.
const RUNS_AS = /^(compute\.instances\.(create|setServiceAccount)|cloudfunctions\.functions\.(create|update)|run\.(services|jobs)\.(create|update)|cloudbuild\.builds\.create|dataflow\.jobs\.create|composer\.environments\.create|dataproc\.clusters\.create|container\.clusters\.create|notebooks\.instances\.create|aiplatform\.customJobs\.create|cloudscheduler\.jobs\.create)$/;

const SERVICE_HOSTS: Record<string, string> = { cloudsql: 'sqladmin.googleapis.com/', bigtable: 'bigtableadmin.googleapis.com/' };
const NOT_RESOURCES = new Set(['iam', 'resourcemanager', 'billing', 'logging', 'monitoring', 'serviceusage', 'orgpolicy', 'accesscontextmanager']);

function levelOf(permission: string): AccessLevel {
  const verb = permission.split('.').pop() ?? '';
  if (verb === 'setIamPolicy') return 'Permissions management';
  if (/^(list|search)/.test(verb)) return 'List';
  if (/^(get|read|query|view|export|download|lookup|access|select|scan|stream)/.test(verb)) return 'Read';
  if (/tag/i.test(verb)) return 'Tagging';
  return 'Write';
}

function higher(a: AccessLevel | undefined, b: AccessLevel): AccessLevel {
  return a === undefined || ACCESS_LEVELS.indexOf(b) > ACCESS_LEVELS.indexOf(a) ? b : a;
}

export function permissionEffect(role: string, permissions: readonly string[]): PermissionEffect {
  const has = new Set(permissions);
  const out: PermissionEffect = { hosts: new Map() };
  const admin = SET_IAM_POLICY.find((p) => has.has(p));
  if (admin) out.admin = `${role} holds ${admin}: it can grant any role to anyone`;
  const act = ACT_AS.find(([p]) => has.has(p));
  if (act) out.escalate = { technique: act[0], why: `${role} holds ${act[0]}: it ${act[1]}` };
  else if (has.has('iam.serviceAccounts.actAs')) {
    const runs = permissions.find((p) => RUNS_AS.test(p));
    out.escalate = runs
      ? { technique: 'iam.serviceAccounts.actAs', why: `${role} holds iam.serviceAccounts.actAs and ${runs}: it starts something running as the service account` }
      : { technique: 'iam.serviceAccounts.actAs', why: `${role} holds iam.serviceAccounts.actAs: it can attach the service account to what it creates`, needs: 'also needs a permission to create or update a resource that runs as the service account (e.g. compute.instances.create)' };
  }
  for (const p of permissions) {
    const level = levelOf(p);
    out.level = higher(out.level, level);
    const service = p.split('.')[0] ?? '';
    if (!service || NOT_RESOURCES.has(service)) continue;
    const host = SERVICE_HOSTS[service] ?? `${service}.googleapis.com/`;
    out.hosts.set(host, higher(out.hosts.get(host), level));
  }
  return out;
}
