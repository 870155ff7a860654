import type { Importer } from './types.js';
import { awsAccessKeys } from './aws-access-keys.js';
import { awsCloudFormationIam } from './aws-cloudformation-iam.js';
import { awsCloudFormationStacks } from './aws-cloudformation-stacks.js';
import { awsCodebuild } from './aws-codebuild.js';
import { awsCredentialReport } from './aws-credential-report.js';
import { awsEc2Instances } from './aws-ec2-instances.js';
import { awsEcs } from './aws-ecs.js';
import { awsGaad } from './aws-gaad.js';
import { awsIamCli } from './aws-iam-cli.js';
import { awsGlue } from './aws-glue.js';
import { awsLambda } from './aws-lambda.js';
import { awsOrganizationsScp } from './aws-organizations-scp.js';
import { awsResourcePolicy } from './aws-resource-policy.js';
import { awsSagemaker } from './aws-sagemaker.js';
import { azureActivityLog } from './azure-activity-log.js';
import { azureRbac } from './azure-arm.js';
import { azureGraph } from './azure-graph.js';
import { azureResources } from './azure-resources.js';
import { azureHound } from './azurehound.js';
import { cloudtrail } from './cloudtrail.js';
import { entraAuditLog } from './entra-audit-log.js';
import { entraSignInLog } from './entra-sign-in-log.js';
import { eksAccessEntries } from './eks-access-entries.js';
import { eksPodIdentity } from './eks-pod-identity.js';
import { gcpAssetInventory } from './gcp-asset-inventory.js';
import { gcpAuditLog } from './gcp-audit-log.js';
import { gcpCustomRoles } from './gcp-custom-roles.js';
import { gcpIamPolicy, gcpServiceAccountKeys, gcpServiceAccounts } from './gcp-iam.js';
import { gitleaks } from './gitleaks.js';
import { k8sAuditLog } from './k8s-audit-log.js';
import { kubernetes } from './kubernetes.js';
import { opengraph } from './opengraph.js';
import { prowler } from './prowler.js';
import { scoutSuite } from './scoutsuite.js';
import { sharphound } from './sharphound.js';
import { terraform } from './terraform.js';
import { trufflehog } from './trufflehog.js';
import { vaultPolicy } from './vault-policy.js';

/** Every importer, in one list. Detection asks each; adding a format means adding it here. */
export const IMPORTERS: readonly Importer[] = [
  opengraph,
  sharphound,
  vaultPolicy,
  awsGaad,
  awsCredentialReport,
  awsAccessKeys,
  awsOrganizationsScp,
  awsResourcePolicy,
  awsCloudFormationIam,
  gcpServiceAccounts,
  gcpServiceAccountKeys,
  gcpIamPolicy,
  gcpAssetInventory,
  azureGraph,
  azureRbac,
  azureResources,
  gitleaks,
  trufflehog,
  cloudtrail,
  gcpAuditLog,
  azureActivityLog,
  entraSignInLog,
  entraAuditLog,
  kubernetes,
  eksPodIdentity,
  eksAccessEntries,
  azureHound,
  terraform,
  k8sAuditLog,
  prowler,
  scoutSuite,
  awsIamCli,
  awsLambda,
  awsCloudFormationStacks,
  awsSagemaker,
  awsEc2Instances,
  awsEcs,
  awsCodebuild,
  awsGlue,
  gcpCustomRoles,
];
