import { azureAppLinks } from './azure-app-links.js';
import { azureRoleAssignments } from './azure-role-assignments.js';
import { gcpIamBindings } from './gcp-iam-bindings.js';
import type { EdgeRule } from './types.js';

/** Every derived-edge rule, run in this order after each import. Later rules see earlier rules' edges. */
export const EDGE_RULES: readonly EdgeRule[] = [gcpIamBindings, azureRoleAssignments, azureAppLinks];
