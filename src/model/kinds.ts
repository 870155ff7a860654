// The graph schema as data. The UI legend, the docs and the drift test all read these tables,
// so a new kind is added here once and nowhere else.

export const NODE_CATEGORIES = {
  identity: 'Something that acts: a user, role, service account, app or workload.',
  credential: 'Something that lets its holder act as an identity: a key, password, secret or token.',
  resource: 'Something identities act on: a bucket, secret, key, namespace, repository.',
  group: 'A set of identities that share permissions.',
  boundary: 'An administrative boundary: an AWS account, a cluster, a tenant, a project.',
  admin: 'Full control of one boundary; reaching it means owning everything inside.',
  evidence: 'A record of exposure or activity (a leak finding), kept for its provenance.',
} as const;
export type NodeCategory = keyof typeof NODE_CATEGORIES;

export type Provider = 'aws' | 'k8s' | 'gcp' | 'azure' | 'vault' | 'github' | 'generic' | 'opengraph';

export interface NodeKindSpec {
  readonly label: string;
  readonly description: string;
  readonly category: NodeCategory;
  readonly provider: Provider;
}

export const NODE_KINDS = {
  // AWS
  aws_account: { label: 'AWS account', description: 'An AWS account present in the case.', category: 'boundary', provider: 'aws' },
  aws_external_account: { label: 'External AWS account', description: 'An AWS account trusted by the case but not imported into it.', category: 'boundary', provider: 'aws' },
  aws_root: { label: 'Root user', description: 'The root user of an AWS account.', category: 'identity', provider: 'aws' },
  aws_user: { label: 'IAM user', description: 'An IAM user (often a CI bot or integration).', category: 'identity', provider: 'aws' },
  aws_role: { label: 'IAM role', description: 'An IAM role that principals or services assume.', category: 'identity', provider: 'aws' },
  aws_group: { label: 'IAM group', description: 'An IAM group; its members receive its policies.', category: 'group', provider: 'aws' },
  aws_service: { label: 'AWS service', description: 'An AWS service principal (ec2.amazonaws.com) that can assume roles.', category: 'identity', provider: 'aws' },
  aws_instance_profile: { label: 'Instance profile', description: 'An EC2 instance profile wrapping one role.', category: 'resource', provider: 'aws' },
  aws_access_key: { label: 'Access key', description: 'A long-term (AKIA) or temporary (ASIA) access key.', category: 'credential', provider: 'aws' },
  aws_password: { label: 'Console password', description: 'An IAM user login profile (console password).', category: 'credential', provider: 'aws' },
  aws_identity_provider: { label: 'Identity provider', description: 'An IAM SAML or OIDC identity provider.', category: 'identity', provider: 'aws' },
  aws_bucket: { label: 'S3 bucket', description: 'An S3 bucket and its objects.', category: 'resource', provider: 'aws' },
  aws_secret: { label: 'Secrets Manager secret', description: 'A Secrets Manager secret.', category: 'resource', provider: 'aws' },
  aws_kms_key: { label: 'KMS key', description: 'A KMS key that encrypts data and secrets.', category: 'resource', provider: 'aws' },
  aws_instance: { label: 'EC2 instance', description: 'An EC2 instance, possibly running with a role.', category: 'resource', provider: 'aws' },
  aws_lambda: { label: 'Lambda function', description: 'A Lambda function, running with an execution role.', category: 'resource', provider: 'aws' },
  aws_managed_policy: { label: 'Managed policy', description: 'An AWS-managed or customer-managed IAM policy, with its versions.', category: 'resource', provider: 'aws' },
  aws_scp: { label: 'Service control policy', description: 'An Organizations SCP restricting accounts.', category: 'resource', provider: 'aws' },
  aws_cfn_stack: { label: 'CloudFormation stack', description: 'A CloudFormation stack, possibly deployed by a service role.', category: 'resource', provider: 'aws' },
  aws_codebuild_project: { label: 'CodeBuild project', description: 'A CodeBuild project, building with a service role.', category: 'resource', provider: 'aws' },
  aws_sagemaker_notebook: { label: 'SageMaker notebook', description: 'A SageMaker notebook instance, running with an execution role.', category: 'resource', provider: 'aws' },
  aws_ecs_task_definition: { label: 'ECS task definition', description: 'An ECS task definition revision: its tasks run with its task role.', category: 'resource', provider: 'aws' },
  aws_glue_dev_endpoint: { label: 'Glue dev endpoint', description: 'A Glue development endpoint, running with a role.', category: 'resource', provider: 'aws' },
  aws_resource: { label: 'AWS resource', description: 'Any other AWS resource named by a policy (a table, a queue, a parameter …), known by its ARN.', category: 'resource', provider: 'aws' },
  federated_subject: { label: 'Federated subject', description: 'An external workload identity (a GitHub repo/branch/environment, a SAML user) trusted by a provider.', category: 'identity', provider: 'generic' },
  // Kubernetes
  k8s_cluster: { label: 'Kubernetes cluster', description: 'A Kubernetes cluster.', category: 'boundary', provider: 'k8s' },
  k8s_namespace: { label: 'Namespace', description: 'A Kubernetes namespace.', category: 'resource', provider: 'k8s' },
  k8s_service_account: { label: 'Service account', description: 'A Kubernetes ServiceAccount.', category: 'identity', provider: 'k8s' },
  k8s_user: { label: 'Kubernetes user', description: 'A User subject named in a binding.', category: 'identity', provider: 'k8s' },
  k8s_group: { label: 'Kubernetes group', description: 'A Group subject named in a binding (system:authenticated, …).', category: 'group', provider: 'k8s' },
  k8s_sa_token: { label: 'SA token secret', description: 'A Secret holding a service-account token.', category: 'credential', provider: 'k8s' },
  k8s_secret: { label: 'Secret', description: 'A Kubernetes Secret that is not a service-account token.', category: 'resource', provider: 'k8s' },
  k8s_pod: { label: 'Pod', description: 'A pod, running as a service account.', category: 'identity', provider: 'k8s' },
  k8s_workload: { label: 'Workload', description: 'A Deployment, DaemonSet, StatefulSet, Job or CronJob.', category: 'identity', provider: 'k8s' },
  k8s_node: { label: 'Cluster nodes', description: 'Root on the worker nodes of a cluster (one node per cluster: a pod creator picks any node by name).', category: 'identity', provider: 'k8s' },
  k8s_role: { label: 'RBAC role', description: 'A Role or ClusterRole.', category: 'resource', provider: 'k8s' },
  // GCP
  gcp_organization: { label: 'GCP organization', description: 'A Google Cloud organization.', category: 'boundary', provider: 'gcp' },
  gcp_folder: { label: 'GCP folder', description: 'A Google Cloud folder.', category: 'boundary', provider: 'gcp' },
  gcp_project: { label: 'GCP project', description: 'A Google Cloud project.', category: 'boundary', provider: 'gcp' },
  gcp_service_account: { label: 'GCP service account', description: 'A Google Cloud service account.', category: 'identity', provider: 'gcp' },
  gcp_sa_key: { label: 'SA key', description: 'A Google Cloud service-account key.', category: 'credential', provider: 'gcp' },
  gcp_user: { label: 'Google user', description: 'A Google account named in an IAM policy.', category: 'identity', provider: 'gcp' },
  gcp_group: { label: 'Google group', description: 'A Google group named in an IAM policy.', category: 'group', provider: 'gcp' },
  gcp_resource: { label: 'GCP resource', description: 'A Google Cloud resource (bucket, dataset, key, topic …).', category: 'resource', provider: 'gcp' },
  gcp_role: { label: 'GCP IAM role', description: 'A custom IAM role of a project or organization (or a predefined role described), with its permissions.', category: 'resource', provider: 'gcp' },
  // Azure
  azure_tenant: { label: 'Entra tenant', description: 'A Microsoft Entra ID tenant.', category: 'boundary', provider: 'azure' },
  azure_subscription: { label: 'Azure subscription', description: 'An Azure subscription.', category: 'boundary', provider: 'azure' },
  azure_application: { label: 'App registration', description: 'An Entra application registration.', category: 'identity', provider: 'azure' },
  azure_service_principal: { label: 'Service principal', description: 'An Entra service principal (enterprise app).', category: 'identity', provider: 'azure' },
  azure_managed_identity: { label: 'Managed identity', description: 'An Azure managed identity.', category: 'identity', provider: 'azure' },
  azure_user: { label: 'Entra user', description: 'An Entra user.', category: 'identity', provider: 'azure' },
  azure_group: { label: 'Entra group', description: 'An Entra group named as the principal of a role assignment.', category: 'group', provider: 'azure' },
  azure_client_secret: { label: 'Client secret', description: 'A password credential of an app or service principal.', category: 'credential', provider: 'azure' },
  azure_certificate: { label: 'Certificate', description: 'A key credential (certificate) of an app or service principal.', category: 'credential', provider: 'azure' },
  azure_federated_credential: { label: 'Federated credential', description: 'A workload-identity federation credential of an app.', category: 'credential', provider: 'azure' },
  azure_resource: { label: 'Azure resource', description: 'An Azure resource or resource group.', category: 'resource', provider: 'azure' },
  azure_directory_role: { label: 'Entra role', description: 'An Entra ID directory role (Global Administrator, Application Administrator…); holders are bound to it by role assignments.', category: 'resource', provider: 'azure' },
  // HashiCorp Vault
  vault_policy: { label: 'Vault policy', description: 'A Vault ACL policy: the paths and capabilities a token holding it gets.', category: 'resource', provider: 'vault' },
  // Generic
  anyone: { label: 'Anyone', description: 'Anyone on the internet, with no credentials: what a policy with Principal "*" (or a public function URL) lets in.', category: 'identity', provider: 'generic' },
  admin: { label: 'Admin', description: 'Full control of one boundary (admin of an account, cluster-admin, owner of a tenant or project).', category: 'admin', provider: 'generic' },
  secret_credential: { label: 'Secret', description: 'A credential known only from a leak (a GitHub token, a Slack token, a private key, a URI password).', category: 'credential', provider: 'generic' },
  leak: { label: 'Leak', description: 'A secret-scanner finding: where a credential was exposed.', category: 'evidence', provider: 'generic' },
  repository: { label: 'Repository', description: 'A source repository.', category: 'resource', provider: 'github' },
  // BloodHound OpenGraph: kinds the mapper cannot place keep their original kinds as properties.
  og_identity: { label: 'OpenGraph identity', description: 'An identity imported from BloodHound OpenGraph.', category: 'identity', provider: 'opengraph' },
  og_group: { label: 'OpenGraph group', description: 'A group imported from BloodHound OpenGraph.', category: 'group', provider: 'opengraph' },
  og_boundary: { label: 'OpenGraph domain', description: 'A domain, tenant or environment imported from BloodHound OpenGraph.', category: 'boundary', provider: 'opengraph' },
  og_object: { label: 'OpenGraph object', description: 'Any other object imported from BloodHound OpenGraph.', category: 'resource', provider: 'opengraph' },
} as const satisfies Record<string, NodeKindSpec>;
export type NodeKind = keyof typeof NODE_KINDS;

export interface EdgeKindSpec {
  readonly description: string;
  /** Sentence fragment read as "<from> <verb> <to>". */
  readonly verb: string;
  /** Whether an attacker holding the source can move along this edge to gain the target. */
  readonly traversable: boolean;
  /** Imported as stated by a source, derived by a rule, or observed in activity logs. */
  readonly origin: 'imported' | 'derived' | 'observed' | 'any';
}

// Edge kinds join this table when an importer or rule emits them (the drift test holds us to it).
// The planned vocabulary is in ARCHITECTURE.md.
export const EDGE_KINDS = {
  AUTHENTICATES_AS: { description: 'Whoever holds the credential acts as the identity.', verb: 'authenticates as', traversable: true, origin: 'imported' },
  MEMBER_OF: { description: 'The identity is a member of the group and receives its permissions.', verb: 'is a member of', traversable: true, origin: 'any' },
  CAN_ASSUME: { description: 'The principal can assume the role (trust policy and, where AWS requires it, an identity-policy allow; web identity or SAML).', verb: 'can assume', traversable: true, origin: 'derived' },
  TRUSTS: { description: 'The role trust policy names the principal (the raw statement; whether it can assume is CAN_ASSUME).', verb: 'trusts', traversable: false, origin: 'any' },
  FEDERATES_TO: { description: 'The workload identity is federated to a cloud identity (IRSA, Pod Identity, GKE or Azure workload identity), or the cloud identity is mapped into a cluster as the Kubernetes user (EKS aws-auth ConfigMap, EKS access entry).', verb: 'federates to', traversable: true, origin: 'any' },
  CAN_ESCALATE: { description: 'The identity can take over the other identity through a privilege-escalation technique (props.technique).', verb: 'can escalate to', traversable: true, origin: 'derived' },
  ADMIN_OF: { description: 'The identity has admin-equivalent rights over the boundary.', verb: 'is', traversable: true, origin: 'derived' },
  CAN_ACCESS: { description: 'The identity can act on the resource, at the access level given (props.accessLevel).', verb: 'can access', traversable: true, origin: 'derived' },
  CAN_READ_CREDENTIAL: { description: 'The identity can read the credential.', verb: 'can read', traversable: true, origin: 'derived' },
  RUNS_AS: { description: 'The workload runs as the identity.', verb: 'runs as', traversable: true, origin: 'imported' },
  HAS_ROLE: { description: 'A binding grants the subject the RBAC role (raw statement; rules derive what it allows).', verb: 'is bound to', traversable: false, origin: 'imported' },
  EXPOSES: { description: 'The leak exposes the credential: whoever holds the leaked text holds the credential.', verb: 'exposes', traversable: true, origin: 'imported' },
  OBSERVED_USE: { description: 'Activity logs show the source using the target (first/last seen, count, actions).', verb: 'was seen using', traversable: true, origin: 'observed' },
  OWNS: { description: 'The identity is recorded as owner of the object (an app registration owner, a resource creator).', verb: 'owns', traversable: false, origin: 'imported' },
  FEDERATION_REFUSED: { description: 'The workload identity is configured for the cloud identity, but that identity does not trust it: no credentials can be obtained. Kept to show the misconfiguration.', verb: 'is refused by', traversable: false, origin: 'derived' },
  USES_ROLE: { description: 'The resource runs with the role (a function\'s execution role, an instance\'s profile, a stack\'s service role). Whoever controls what it runs acts as the role: the techniques that give that control are CAN_ESCALATE edges.', verb: 'runs with', traversable: false, origin: 'imported' },
  OPENGRAPH_EDGE: { description: 'An attack edge declared by an OpenGraph source, kept with its original kind.', verb: 'has an edge to', traversable: true, origin: 'imported' },
} as const satisfies Record<string, EdgeKindSpec>;
export type EdgeKind = keyof typeof EDGE_KINDS;

export const ACCESS_LEVELS = ['List', 'Read', 'Tagging', 'Write', 'Permissions management'] as const;
export type AccessLevel = (typeof ACCESS_LEVELS)[number];

export function isNodeKind(value: string): value is NodeKind {
  return Object.hasOwn(NODE_KINDS, value);
}
export function isEdgeKind(value: string): value is EdgeKind {
  return Object.hasOwn(EDGE_KINDS, value);
}
export function nodeCategory(kind: NodeKind): NodeCategory {
  return NODE_KINDS[kind].category;
}
export function isTraversable(kind: EdgeKind): boolean {
  return EDGE_KINDS[kind].traversable;
}
export function edgeSpec(kind: EdgeKind): EdgeKindSpec {
  return EDGE_KINDS[kind];
}
