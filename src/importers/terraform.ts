import type { Json } from '../model/fragment.js';
import type { Importer } from './types.js';
import { AWS_TYPES, mapAws } from './terraform/aws.js';
import { isAzureType, mapAzure } from './terraform/azure.js';
import { TfContext } from './terraform/context.js';
import { isGcpType, mapGcp } from './terraform/gcp.js';
import { isKubernetesType, mapKubernetes } from './terraform/k8s.js';
import { terraformMeta } from './terraform/meta.js';
import { readDocument } from './terraform/read.js';

// Terraform: `terraform show -json` of a state or of a plan, and the raw state file (terraform.tfstate, version 4).
// A plan imports as the state after apply (planned_values; deleted resources absent), with each resource's change in
// its props (terraformChange) and the source's meta saying it is a plan and which state it was planned against
// (terraform/meta.ts), so comparing "this case with the plan in place of its state" shows what the change does.
// Resource types: AWS IAM, the kubernetes provider's RBAC and workloads, GCP service accounts, keys and IAM, Azure
// role assignments, managed identities, app registrations and federated credentials. Secrets that state files hold in
// clear (access-key secrets, SMTP passwords, private keys, client secrets) are never read into the case.

export const terraform: Importer = {
  format: 'terraform',
  title: 'Terraform state or plan (terraform show -json, terraform.tfstate)',
  provider: 'generic',
  producedBy: 'terraform show -json [plan.tfplan]; terraform state pull; terraform.tfstate (version 4)',
  emits: ['AUTHENTICATES_AS', 'MEMBER_OF', 'OWNS', 'FEDERATES_TO', 'RUNS_AS', 'HAS_ROLE'],
  detect(probe) {
    if (!probe.looksJson) return 0;
    const h = probe.head;
    if (/"format_version"\s*:\s*"\d/.test(h) && /"(planned_values|resource_changes|prior_state|values|terraform_version)"\s*:/.test(h) && /"terraform_version"|"root_module"|"resource_changes"/.test(h)) return 0.95;
    if (/"version"\s*:\s*[34]\b/.test(h) && /"(lineage|terraform_version)"\s*:/.test(h)) return 0.95;
    return 0;
  },
  parse(input, ctx) {
    const doc = readDocument(input.fileName, input.json());
    const tf = new TfContext(input.fileName, ctx, doc);
    const instances = doc.instances;
    mapAws(tf, instances);
    mapGcp(tf, instances.filter((i) => isGcpType(i.type)));
    mapAzure(tf, instances.filter((i) => isAzureType(i.type)));
    mapKubernetes(tf, instances.filter((i) => isKubernetesType(i.type)));
    const other = new Map<string, number>();
    for (const i of instances) if (!AWS_TYPES.has(i.type) && !isGcpType(i.type) && !isAzureType(i.type) && !isKubernetesType(i.type)) other.set(i.type, (other.get(i.type) ?? 0) + 1);
    if (other.size) {
      const top = [...other].sort((a, b) => b[1] - a[1]);
      tf.warn(`${[...other.values()].reduce((a, b) => a + b, 0)} resource(s) of types with no bearing on identities here were skipped: ${top.slice(0, 12).map(([t, n]) => `${t} (${n})`).join(', ')}${top.length > 12 ? ', …' : ''}`);
    }
    const fragment = tf.finish();
    fragment.sourceMeta = { terraform: terraformMeta(doc) as unknown as Json };
    return fragment;
  },
};
