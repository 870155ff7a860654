import type { EdgeRule } from './types.js';
import { awsAdmin } from './aws-admin.js';
import { awsCanAssume } from './aws-can-assume.js';
import { awsEscalateIam } from './aws-escalate-iam.js';
import { awsEscalatePassRole } from './aws-escalate-passrole.js';
import { awsEscalateSsm } from './aws-escalate-ssm.js';
import { awsFederatedTrust } from './aws-federated-trust.js';
import { awsResourceAccess } from './aws-resource-access.js';
import { awsRootAdmin } from './aws-root-admin.js';
import { azureAppLinks } from './azure-app-links.js';
import { azureRoleAssignments } from './azure-role-assignments.js';
import { gcpIamBindings } from './gcp-iam-bindings.js';

/** Every derived-edge rule, run in this order after each import. Later rules see earlier rules' edges. */
export const EDGE_RULES: readonly EdgeRule[] = [
  awsCanAssume,
  awsFederatedTrust,
  awsAdmin,
  awsRootAdmin,
  awsEscalateIam,
  awsEscalatePassRole,
  awsEscalateSsm,
  awsResourceAccess,
  gcpIamBindings,
  azureRoleAssignments,
  azureAppLinks,
];
