import { adminCredential } from './admin-credential.js';
import { awsPublicResource } from './aws-public-resource.js';
import { awsResourceAdminRole } from './aws-resource-admin-role.js';
import { computeRoleAdmin } from './compute-role-admin.js';
import { credentialInStateFile } from './credential-in-state-file.js';
import { credentialOld } from './credential-old.js';
import { credentialUnused } from './credential-unused.js';
import { gcpKeyNoExpiry } from './gcp-key-no-expiry.js';
import { identityNoOwner } from './identity-no-owner.js';
import { k8sAnonymousAccess } from './k8s-anonymous-access.js';
import { k8sPrivilegedWorkload } from './k8s-privileged-workload.js';
import { k8sSaClusterAdmin } from './k8s-sa-cluster-admin.js';
import { leakedCredentialActive } from './leaked-credential-active.js';
import { multipleActiveKeys } from './multiple-active-keys.js';
import { oidcTrustNoSubject } from './oidc-trust-no-subject.js';
import { segregationOfDuties } from './segregation-of-duties.js';
import { trustBroad } from './trust-broad.js';
import type { FindingRule } from './types.js';

/** Every posture rule, run after derivation on whatever providers are in the case. */
export const FINDING_RULES: readonly FindingRule[] = [
  leakedCredentialActive,
  adminCredential,
  k8sSaClusterAdmin,
  k8sAnonymousAccess,
  computeRoleAdmin,
  trustBroad,
  oidcTrustNoSubject,
  segregationOfDuties,
  credentialUnused,
  credentialOld,
  multipleActiveKeys,
  gcpKeyNoExpiry,
  identityNoOwner,
  credentialInStateFile,
  awsPublicResource,
  awsResourceAdminRole,
  k8sPrivilegedWorkload,
];
