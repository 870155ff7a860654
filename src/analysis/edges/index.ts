import { k8sAdmin } from './k8s-admin.js';
import { k8sFederation } from './k8s-federation.js';
import { k8sGroups } from './k8s-groups.js';
import { k8sImpersonate } from './k8s-impersonate.js';
import { k8sNodesProxy } from './k8s-nodes-proxy.js';
import { k8sPodCreate } from './k8s-pod-create.js';
import { k8sPodExec } from './k8s-pod-exec.js';
import { k8sRbacBind } from './k8s-rbac-bind.js';
import { k8sSecrets } from './k8s-secrets.js';
import { k8sTokenRequest } from './k8s-token-request.js';
import type { EdgeRule } from './types.js';

/** Every derived-edge rule, run in this order after each import. Later rules see earlier rules' edges. */
export const EDGE_RULES: readonly EdgeRule[] = [
  // Kubernetes
  k8sGroups,
  k8sAdmin,
  k8sSecrets,
  k8sPodCreate,
  k8sPodExec,
  k8sTokenRequest,
  k8sImpersonate,
  k8sRbacBind,
  k8sNodesProxy,
  k8sFederation,
];
