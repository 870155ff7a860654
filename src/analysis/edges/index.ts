import type { EdgeRule } from './types.js';
import { adminExits } from './admin-exits.js';
import { awsAdmin } from './aws-admin.js';
import { awsCanAssume } from './aws-can-assume.js';
import { awsEscalateIam } from './aws-escalate-iam.js';
import { awsEscalateApprunner } from './aws-escalate-apprunner.js';
import { awsEscalateBedrock } from './aws-escalate-bedrock.js';
import { awsEscalateCloudformation } from './aws-escalate-cloudformation.js';
import { awsEscalateCodebuild } from './aws-escalate-codebuild.js';
import { awsEscalateDatapipeline } from './aws-escalate-datapipeline.js';
import { awsEscalateEc2 } from './aws-escalate-ec2.js';
import { awsEscalateEcs } from './aws-escalate-ecs.js';
import { awsEscalateGlue } from './aws-escalate-glue.js';
import { awsEscalateIamCombo } from './aws-escalate-iam-combo.js';
import { awsEscalateLambda } from './aws-escalate-lambda.js';
import { awsEscalateSagemaker } from './aws-escalate-sagemaker.js';
import { awsEscalateSsm } from './aws-escalate-ssm.js';
import { awsFederatedTrust } from './aws-federated-trust.js';
import { awsNamedResourceAccess } from './aws-named-resource-access.js';
import { awsPolicyResources } from './aws-policy-resources.js';
import { awsPublicAccess } from './aws-public-access.js';
import { awsResourceAccess } from './aws-resource-access.js';
import { awsRootAdmin } from './aws-root-admin.js';
import { azureAppLinks } from './azure-app-links.js';
import { azureElevateAccess } from './azure-elevate-access.js';
import { azureEntraRoles } from './azure-entra-roles.js';
import { azureGraphAppRoles } from './azure-graph-app-roles.js';
import { azureGroupOwners } from './azure-group-owners.js';
import { azureKeyVaultAccess } from './azure-key-vault-access.js';
import { azureIdentityAssign } from './azure-identity-assign.js';
import { azureManagedIdentity } from './azure-managed-identity.js';
import { azureRoleAssignments } from './azure-role-assignments.js';
import { gcpIamBindings } from './gcp-iam-bindings.js';
import { k8sAdmin } from './k8s-admin.js';
import { eksMappedAccounts } from './eks-mapped-accounts.js';
import { k8sFederation } from './k8s-federation.js';
import { k8sGroups } from './k8s-groups.js';
import { k8sImpersonate } from './k8s-impersonate.js';
import { k8sNodeEscape } from './k8s-node-escape.js';
import { k8sNodesProxy } from './k8s-nodes-proxy.js';
import { k8sPodCreate } from './k8s-pod-create.js';
import { k8sPodExec } from './k8s-pod-exec.js';
import { k8sRbacBind } from './k8s-rbac-bind.js';
import { k8sSecrets } from './k8s-secrets.js';
import { k8sTokenRequest } from './k8s-token-request.js';

/** Every derived-edge rule, run in this order after each import. Later rules see earlier rules' edges. */
export const EDGE_RULES: readonly EdgeRule[] = [
  awsPolicyResources,
  awsCanAssume,
  awsFederatedTrust,
  awsAdmin,
  awsRootAdmin,
  awsEscalateIam,
  awsEscalateLambda,
  awsEscalateEc2,
  awsEscalateEcs,
  awsEscalateGlue,
  awsEscalateCodebuild,
  awsEscalateCloudformation,
  awsEscalateSagemaker,
  awsEscalateApprunner,
  awsEscalateBedrock,
  awsEscalateDatapipeline,
  awsEscalateSsm,
  awsEscalateIamCombo,
  awsResourceAccess,
  awsNamedResourceAccess,
  awsPublicAccess,
  gcpIamBindings,
  azureRoleAssignments,
  azureAppLinks,
  k8sGroups,
  eksMappedAccounts,
  k8sAdmin,
  k8sSecrets,
  k8sPodCreate,
  k8sPodExec,
  k8sTokenRequest,
  k8sImpersonate,
  k8sRbacBind,
  k8sNodesProxy,
  k8sNodeEscape,
  k8sFederation,
  azureEntraRoles,
  azureElevateAccess,
  azureGraphAppRoles,
  azureKeyVaultAccess,
  azureManagedIdentity,
  azureIdentityAssign,
  azureGroupOwners,
  // Last: it reads the ways out of a boundary the rules above draw (federation, cross-account assume, admins).
  adminExits,
];
