import type { Json } from '../../model/fragment.js';

// The Kubernetes permissions of the EKS access policies (arn:aws:eks::aws:cluster-access-policy/<name>) as the Amazon
// EKS User Guide lists them ("Review access policy permissions"). Access policies are allow-only rule lists, like
// ClusterRoles; EKS's authorizer applies them before RBAC, at cluster scope or in the namespaces of the association.
// Policies EKS keeps for its own components (AmazonEKSAutoNodePolicy, AmazonEKSBlockStoragePolicy…) are not listed
// rule by rule in the guide: they are read as granting nothing, with a warning.

const RW = ['create', 'delete', 'deletecollection', 'patch', 'update'];
const RO = ['get', 'list', 'watch'];
const rule = (apiGroups: string[], resources: string[], verbs: string[]): Json => ({ apiGroups, resources, verbs });

const VIEW: Json[] = [
  rule(['apps'], ['controllerrevisions', 'daemonsets', 'daemonsets/status', 'deployments', 'deployments/scale', 'deployments/status', 'replicasets', 'replicasets/scale', 'replicasets/status', 'statefulsets', 'statefulsets/scale', 'statefulsets/status'], RO),
  rule(['autoscaling'], ['horizontalpodautoscalers', 'horizontalpodautoscalers/status'], RO),
  rule(['batch'], ['cronjobs', 'cronjobs/status', 'jobs', 'jobs/status'], RO),
  rule(['discovery.k8s.io'], ['endpointslices'], RO),
  rule(['extensions'], ['daemonsets', 'daemonsets/status', 'deployments', 'deployments/scale', 'deployments/status', 'ingresses', 'ingresses/status', 'networkpolicies', 'replicasets', 'replicasets/scale', 'replicasets/status', 'replicationcontrollers/scale'], RO),
  rule(['networking.k8s.io'], ['ingresses', 'ingresses/status', 'networkpolicies'], RO),
  rule(['policy'], ['poddisruptionbudgets', 'poddisruptionbudgets/status'], RO),
  rule([''], ['configmaps', 'endpoints', 'persistentvolumeclaims', 'persistentvolumeclaims/status', 'pods', 'replicationcontrollers', 'replicationcontrollers/scale', 'serviceaccounts', 'services', 'services/status'], RO),
  rule([''], ['bindings', 'events', 'limitranges', 'namespaces/status', 'pods/log', 'pods/status', 'replicationcontrollers/status', 'resourcequotas', 'resourcequotas/status'], RO),
  rule([''], ['namespaces'], RO),
];

// Edit: View plus writes to workloads and core objects, reading secrets, pods/exec and impersonating service accounts.
const EDIT: Json[] = [
  ...VIEW,
  rule(['apps'], ['daemonsets', 'deployments', 'deployments/rollback', 'deployments/scale', 'replicasets', 'replicasets/scale', 'statefulsets', 'statefulsets/scale'], RW),
  rule(['autoscaling'], ['horizontalpodautoscalers'], RW),
  rule(['batch'], ['cronjobs', 'jobs'], RW),
  rule(['extensions'], ['daemonsets', 'deployments', 'deployments/rollback', 'deployments/scale', 'ingresses', 'networkpolicies', 'replicasets', 'replicasets/scale', 'replicationcontrollers/scale'], RW),
  rule(['networking.k8s.io'], ['ingresses', 'networkpolicies'], RW),
  rule(['policy'], ['poddisruptionbudgets'], RW),
  rule([''], ['pods/attach', 'pods/exec', 'pods/portforward', 'pods/proxy', 'secrets', 'services/proxy'], RO),
  rule([''], ['serviceaccounts'], ['impersonate']),
  rule([''], ['pods', 'pods/attach', 'pods/exec', 'pods/portforward', 'pods/proxy'], RW),
  rule([''], ['configmaps', 'events', 'persistentvolumeclaims', 'replicationcontrollers', 'replicationcontrollers/scale', 'secrets', 'serviceaccounts', 'services', 'services/proxy'], RW),
];

// Admin: Edit plus Roles and RoleBindings (so it can grant itself anything in its scope) and local access reviews.
const ADMIN: Json[] = [...EDIT, rule(['authorization.k8s.io'], ['localsubjectaccessreviews'], ['create']), rule(['rbac.authorization.k8s.io'], ['rolebindings', 'roles'], [...RW, ...RO])];

export const EKS_ACCESS_POLICY_RULES: Readonly<Record<string, Json[]>> = {
  AmazonEKSClusterAdminPolicy: [rule(['*'], ['*'], ['*']), { nonResourceURLs: ['*'], verbs: ['*'] }],
  AmazonEKSAdminPolicy: ADMIN,
  AmazonEKSEditPolicy: EDIT,
  AmazonEKSViewPolicy: VIEW,
  // Read of everything, Secrets included.
  AmazonEKSAdminViewPolicy: [rule(['*'], ['*'], RO)],
  AmazonEKSSecretReaderPolicy: [rule([''], ['secrets'], RO)],
};

/** The policy name of an access-policy ARN (arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy → AmazonEKSViewPolicy). */
export function accessPolicyName(arn: string): string {
  const i = arn.indexOf('cluster-access-policy/');
  return i >= 0 ? arn.slice(i + 'cluster-access-policy/'.length) : arn.slice(arn.lastIndexOf('/') + 1);
}
