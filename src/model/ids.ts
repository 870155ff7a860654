// Canonical node ids. One helper per provider keeps every importer and rule agreeing on the same id
// for the same thing, which is what lets sources merge.

import { flat } from './flat.js';

export const ids = {
  awsAccount: (accountId: string) => flat`aws:account:${accountId}`,
  /** Users, roles, groups, policies, instance profiles, buckets…: their ARN is their id. */
  awsArn: (arn: string) => arn,
  awsAccessKey: (keyId: string) => flat`aws:key:${keyId}`,
  awsPassword: (userArn: string) => flat`aws:password:${userArn}`,
  /** A credential-report key slot whose key id is not known (1 or 2). */
  awsKeySlot: (userArn: string, slot: 1 | 2) => flat`aws:keyslot:${userArn}:${slot}`,
  /**
   * Where a key slot and its AKIA id meet: both sources know the account, the user name and the key's creation
   * time, and alias this id (slot → here → AKIA), so neither needs the other's id.
   */
  awsKeyRendezvous: (accountId: string, userName: string, createdAt: string) => flat`aws:keycreated:${accountId}:${userName}:${createdAt}`,
  /** The ARN of an IAM user without its path: all that outputs naming only the user name allow. */
  awsUserArnWithoutPath: (accountId: string, userName: string, partition = 'aws') => flat`arn:${partition}:iam::${accountId}:user/${userName}`,
  awsService: (service: string) => `aws:service:${service}`,
  /** The root user of an account. */
  awsRoot: (accountId: string) => `arn:aws:iam::${accountId}:root`,
  k8sCluster: (cluster: string) => `k8s:${cluster}`,
  k8sNamespace: (cluster: string, ns: string) => flat`k8s:${cluster}/${ns}`,
  /** Namespaced object: `k8s:<cluster>/<ns>/<kind>/<name>`; cluster-scoped objects use '_' as namespace. */
  k8sObject: (cluster: string, ns: string | undefined, kind: string, name: string) =>
    // Flat (see flat()): a large cluster has one for every object.
    flat`k8s:${cluster}/${ns ?? '_'}/${kind}/${name}`,
  gcpProject: (projectId: string) => `gcp:project:${projectId}`,
  gcpOrganization: (orgId: string) => `gcp:organization:${orgId}`,
  gcpFolder: (folderId: string) => `gcp:folder:${folderId}`,
  gcpServiceAccount: (email: string) => `gcp:sa:${email.toLowerCase()}`,
  gcpKey: (keyId: string) => `gcp:key:${keyId}`,
  gcpMember: (member: string) => `gcp:member:${member}`,
  /** An IAM role by its name: projects/P/roles/R, organizations/O/roles/R (custom), roles/R (predefined). */
  gcpRole: (name: string) => `gcp:role:${name}`,
  /** Any other Cloud Asset Inventory asset, by its full resource name (//storage.googleapis.com/bucket). */
  gcpResource: (fullName: string) => `gcp:resource:${fullName}`,
  azureTenant: (tenantId: string) => `azure:tenant:${tenantId.toLowerCase()}`,
  azureSubscription: (subId: string) => `azure:subscription:${subId.toLowerCase()}`,
  azureObject: (objectId: string) => `azure:object:${objectId.toLowerCase()}`,
  azureCredential: (keyId: string) => `azure:credential:${keyId.toLowerCase()}`,
  /** An app's client id (appId) as others name it (workload-identity annotations): aliased to the app or its service principal. */
  azureClientId: (appId: string) => `azure:appid:${appId.toLowerCase()}`,
  /** An ARM scope below a subscription (resource group, resource) or above it (management group), by its path. */
  azureResource: (scope: string) => `azure:resource:${scope.toLowerCase().replace(/(.)\/+$/, '$1')}`,
  /** An Entra directory role in a tenant, by its role definition id (the template id for built-in roles: the same in every tenant). */
  azureDirectoryRole: (tenantId: string, roleId: string) => `azure:dirrole:${tenantId.toLowerCase()}:${roleId.toLowerCase()}`,
  vaultPolicy: (name: string) => `vault:policy:${name}`,
  /** Anyone on the internet, with no credentials (a resource policy with Principal "*", a public function URL). */
  anyone: () => 'anyone',
  /** The one privileged-control node of a boundary. */
  admin: (boundaryId: string) => flat`admin:${boundaryId}`,
  leak: (scanner: string, fingerprint: string) => `leak:${scanner}:${fingerprint}`,
  secret: (fingerprint: string) => `secret:${fingerprint}`,
  federatedSubject: (issuer: string, subject: string) => `federated:${issuer}:${subject}`,
  /** OpenGraph object ids are collector-issued (SIDs, GUIDs), shared by every file that names them. */
  opengraph: (id: string) => `og:${id}`,
} as const;

/** The account id inside an ARN, or undefined for ARNs without one (AWS-managed policies). */
export function arnAccount(arn: string): string | undefined {
  // Called for every ARN an import or a rule looks at (a GAAD at quota: hundreds of thousands of times), so the
  // fifth field is found by scanning rather than split(':') and a RegExp: the same answer, no arrays.
  let start = -1;
  for (let k = 0; k < 4; k++) {
    start = arn.indexOf(':', start + 1);
    if (start === -1) return undefined;
  }
  const end = arn.indexOf(':', start + 1);
  if (end - start !== 13) return undefined;
  for (let i = start + 1; i < end; i++) {
    const c = arn.charCodeAt(i);
    if (c < 48 || c > 57) return undefined;
  }
  return arn.slice(start + 1, end);
}

/** The id schemes of boundaries (ids above), by prefix. */
const BOUNDARY_SCHEMES = {
  'aws:account:': 'aws_account',
  'gcp:project:': 'gcp_project',
  'gcp:folder:': 'gcp_folder',
  'gcp:organization:': 'gcp_organization',
  'azure:tenant:': 'azure_tenant',
  'azure:subscription:': 'azure_subscription',
} as const;

type BoundaryKind = (typeof BOUNDARY_SCHEMES)[keyof typeof BOUNDARY_SCHEMES] | 'k8s_cluster';

/**
 * The kind and short name of a boundary known only by its id (no export described it: an account whose GAAD is not
 * in the case, a project named by number): "aws:account:123…" is an AWS account "123…". Undefined for other ids.
 */
export function boundaryOfId(id: string): { kind: BoundaryKind; name: string } | undefined {
  for (const [prefix, kind] of Object.entries(BOUNDARY_SCHEMES)) {
    if (id.startsWith(prefix) && id.length > prefix.length) return { kind, name: id.slice(prefix.length) };
  }
  // k8s:<cluster> is a cluster; k8s:<cluster>/… are its namespaces and objects.
  const k = /^k8s:([^/]+)$/.exec(id);
  return k ? { kind: 'k8s_cluster', name: k[1]! } : undefined;
}
