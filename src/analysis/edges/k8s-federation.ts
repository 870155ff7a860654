import { isObject } from '../../model/fragment.js';
import type { Evidence, JsonObject } from '../../model/fragment.js';
import { arnAccount, ids } from '../../model/ids.js';
import { storedBindings } from '../../providers/gcp/iam.js';
import { checkIrsaTrust, checkPodIdentityTrust } from '../../providers/k8s/irsa.js';
import { saUserName } from '../../providers/k8s/rbac.js';
import type { StoredNode } from '../../store/case-store.js';
import type { DeriveContext, EdgeRule } from './types.js';

// Workload identity: a Kubernetes service account annotated for a cloud identity gets that identity's credentials,
// if the cloud side trusts it. When the cloud side is in the case the trust is checked:
// - accepted → FEDERATES_TO, evidenced by the annotation and the trust statement;
// - not accepted → FEDERATION_REFUSED (not traversable): the annotation is a misconfiguration, not a path;
// - not in the case → FEDERATES_TO with `conditional` saying what could not be checked.

export const k8sFederation: EdgeRule = {
  id: 'k8s-federation',
  description: 'Service accounts annotated for IRSA, GKE or Azure Workload Identity, or given an EKS Pod Identity association, federate to the cloud identity (trust checked when in the case).',
  emits: ['FEDERATES_TO', 'FEDERATION_REFUSED'],
  derive(ctx) {
    // Collected first: the loop below reads other node kinds, and a store iterator must not be re-entered.
    const accounts = [...ctx.nodesOfKind('k8s_service_account')];
    for (const sa of accounts) {
      const p = sa.props;
      const ns = String(p['namespace'] ?? '');
      const name = String(p['serviceAccount'] ?? '');
      const subject = saUserName(ns, name);
      if (typeof p['awsRoleArn'] === 'string') irsa(ctx, sa, p['awsRoleArn'], typeof p['awsAudience'] === 'string' ? p['awsAudience'] : 'sts.amazonaws.com', subject);
      if (typeof p['gcpServiceAccount'] === 'string') gke(ctx, sa, p['gcpServiceAccount'], ns, name);
      if (typeof p['azureClientId'] === 'string') azure(ctx, sa, p['azureClientId'], subject);
      if (Array.isArray(p['podIdentityAssociations'])) for (const a of p['podIdentityAssociations']) if (isObject(a)) podIdentity(ctx, sa, a);
    }
  },
};

function annotation(sa: StoredNode, key: string, value: string): Evidence {
  return { type: 'annotation', summary: `ServiceAccount ${sa.name} is annotated ${key}: ${value}`, ...(typeof sa.props['at'] === 'string' ? { location: `${String(sa.props['sourceFile'] ?? '')} ${sa.props['at']}.metadata.annotations`.trim() } : {}), data: { [key]: value } };
}

/** Makes sure a role named by ARN exists in the case (a stub when no AWS export describes it). */
function roleNode(ctx: DeriveContext, roleArn: string): StoredNode | undefined {
  const role = ctx.node(roleArn);
  if (!role) {
    const account = arnAccount(roleArn);
    ctx.emitNode({ id: roleArn, kind: 'aws_role', name: roleArn.split('/').pop() ?? roleArn, handles: [roleArn], stub: true, ...(account ? { boundary: ids.awsAccount(account) } : {}), props: {} });
  }
  return role;
}

function podIdentity(ctx: DeriveContext, sa: StoredNode, a: Record<string, unknown>): void {
  const roleArn = String(a['roleArn']);
  const ev: Evidence = { type: 'pod-identity-association', summary: `EKS Pod Identity association ${String(a['associationId'] ?? '')} gives service account ${sa.name} role ${roleArn}${typeof a['targetRoleArn'] === 'string' ? ` and then target role ${a['targetRoleArn']}` : ''}`, ...(typeof a['at'] === 'string' ? { location: `${String(a['sourceFile'] ?? '')} ${a['at']}`.trim() } : {}), data: a as JsonObject };
  const role = roleNode(ctx, roleArn);
  const tagSession = a['disableSessionTags'] !== true;
  let conditional: string | undefined;
  if (!role || role.props['trustPolicy'] === undefined) conditional = 'role trust not in the case: the role must trust pods.eks.amazonaws.com (sts:AssumeRole, sts:TagSession)';
  else {
    const account = typeof a['associationArn'] === 'string' ? a['associationArn'].split(':')[4] : undefined;
    const verdict = checkPodIdentityTrust(role.props['trustPolicy'], { clusterName: clusterName(ctx, sa), namespace: String(sa.props['namespace'] ?? ''), serviceAccount: String(sa.props['serviceAccount'] ?? ''), tagSession, ...(account ? { account } : {}) });
    if (verdict.outcome === 'refused') {
      ctx.emitEdge({ from: sa.id, to: roleArn, kind: 'FEDERATION_REFUSED', props: { reason: `EKS Pod Identity association names role ${role.name}, but ${verdict.why}: EKS cannot assume it`, technique: 'EKS Pod Identity', refused: true, evidence: [ev, { type: 'trust-policy', summary: `Trust policy of ${role.name}: ${verdict.why}`, data: role.props['trustPolicy'] ?? null }] } });
      return;
    }
    ev.summary += `; trust statement ${verdict.index + 1} of ${role.name} allows pods.eks.amazonaws.com`;
    if (verdict.unresolved.length) conditional = `trust conditions not checked offline: ${verdict.unresolved.join('; ')}`;
  }
  const reason = `EKS Pod Identity: an association gives the service account role ${roleArn}`;
  ctx.emitEdge({ from: sa.id, to: roleArn, kind: 'FEDERATES_TO', props: { reason, technique: 'EKS Pod Identity', evidence: [ev], ...(conditional ? { conditional } : {}) } });
  if (typeof a['targetRoleArn'] === 'string') {
    // Cross-account: EKS chains into the target role and hands the pod the target role's credentials.
    roleNode(ctx, a['targetRoleArn']);
    ctx.emitEdge({ from: sa.id, to: a['targetRoleArn'], kind: 'FEDERATES_TO', props: { reason: `EKS Pod Identity: the association chains from ${roleArn} into target role ${a['targetRoleArn']}`, technique: 'EKS Pod Identity', evidence: [ev], conditional: `the target role must trust ${roleArn} (sts:AssumeRole, sts:TagSession${typeof a['externalId'] === 'string' ? `, sts:ExternalId ${a['externalId']}` : ''})` } });
  }
}

function clusterName(ctx: DeriveContext, sa: StoredNode): string {
  return (sa.boundary ? ctx.node(sa.boundary)?.name : undefined) ?? '';
}

function irsa(ctx: DeriveContext, sa: StoredNode, roleArn: string, aud: string, sub: string): void {
  const ev = annotation(sa, 'eks.amazonaws.com/role-arn', roleArn);
  const role = roleNode(ctx, roleArn);
  if (!role || role.props['trustPolicy'] === undefined) {
    ctx.emitEdge({ from: sa.id, to: roleArn, kind: 'FEDERATES_TO', props: { reason: `IRSA: the service account is annotated with role ${roleArn}`, technique: 'IRSA', evidence: [ev], conditional: 'role trust not in the case: the role must trust the cluster OIDC provider for ' + sub } });
    return;
  }
  const verdict = checkIrsaTrust(role.props['trustPolicy'], sub, aud);
  if (verdict.outcome === 'refused') {
    ctx.emitEdge({
      from: sa.id,
      to: roleArn,
      kind: 'FEDERATION_REFUSED',
      props: {
        reason: `IRSA annotation names role ${role.name}, but its trust policy does not accept ${sub} (aud ${aud}): ${verdict.why}`,
        technique: 'IRSA',
        refused: true,
        evidence: [ev, { type: 'trust-policy', summary: `Trust policy of ${role.name}: ${verdict.why}`, data: role.props['trustPolicy'] ?? null }],
      },
    });
    return;
  }
  const wide = verdict.wideSub ? ' (the trust does not restrict sub: every service account of any cluster using this provider can assume it)' : '';
  ctx.emitEdge({
    from: sa.id,
    to: roleArn,
    kind: 'FEDERATES_TO',
    props: {
      reason: `IRSA: the service account is annotated with role ${role.name}, whose trust policy allows sts:AssumeRoleWithWebIdentity from ${verdict.provider} for ${sub}${wide}`,
      technique: 'IRSA',
      evidence: [ev, { type: 'trust-statement', summary: `Trust statement ${verdict.index + 1} of ${role.name} allows sts:AssumeRoleWithWebIdentity for ${sub}`, data: verdict.statement }],
      ...(verdict.unresolved.length ? { conditional: `trust conditions not checked offline: ${verdict.unresolved.join('; ')}` } : {}),
    },
  });
}

function gke(ctx: DeriveContext, sa: StoredNode, email: string, ns: string, name: string): void {
  const id = ids.gcpServiceAccount(email);
  const ev = annotation(sa, 'iam.gke.io/gcp-service-account', email);
  const target = ctx.node(id);
  if (!target) ctx.emitNode({ id, kind: 'gcp_service_account', name: email, handles: [email], stub: true, props: { email } });
  const member = `.svc.id.goog[${ns}/${name}]`;
  // The GCP importers store a resource's bindings as props.iamBindings, Terraform's as iamBindingsDeclared.
  const stored = target ? storedBindings(target.props) : [];
  const policy = target?.props['iamPolicy'];
  const list = stored.length ? stored : isObject(policy) && Array.isArray(policy['bindings']) ? policy['bindings'] : undefined;
  const bindings = list?.filter((b): b is JsonObject => isObject(b));
  if (!bindings) {
    ctx.emitEdge({ from: sa.id, to: id, kind: 'FEDERATES_TO', props: { reason: `GKE Workload Identity: the service account is annotated with ${email}`, technique: 'GKE Workload Identity', evidence: [ev], conditional: `the IAM policy of ${email} is not in the case: it must grant roles/iam.workloadIdentityUser to serviceAccount:<project>${member}` } });
    return;
  }
  const grant = bindings.find((b) => b['role'] === 'roles/iam.workloadIdentityUser' && Array.isArray(b['members']) && b['members'].some((m) => typeof m === 'string' && m.startsWith('serviceAccount:') && m.endsWith(member)));
  if (!grant) {
    ctx.emitEdge({ from: sa.id, to: id, kind: 'FEDERATION_REFUSED', props: { reason: `GKE Workload Identity annotation names ${email}, but its IAM policy grants no roles/iam.workloadIdentityUser to …${member}`, technique: 'GKE Workload Identity', refused: true, evidence: [ev] } });
    return;
  }
  ctx.emitEdge({ from: sa.id, to: id, kind: 'FEDERATES_TO', props: { reason: `GKE Workload Identity: annotated with ${email}, whose IAM policy grants roles/iam.workloadIdentityUser to …${member}`, technique: 'GKE Workload Identity', evidence: [ev, { type: 'iam-binding', summary: `${email} grants roles/iam.workloadIdentityUser to …${member}`, data: grant }] } });
}

function azure(ctx: DeriveContext, sa: StoredNode, clientId: string, sub: string): void {
  const ev = annotation(sa, 'azure.workload.identity/client-id', clientId);
  const want = clientId.toLowerCase();
  const target = ctx
    .memo('azure-workload-identities', () => (['azure_managed_identity', 'azure_application', 'azure_service_principal'] as const).flatMap((k) => [...ctx.nodesOfKind(k)]))
    .find((n) => n.handles.some((h) => h.toLowerCase() === want) || [n.props['appId'], n.props['clientId']].some((v) => typeof v === 'string' && v.toLowerCase() === want));
  const id = target?.id ?? ids.azureClientId(clientId);
  if (!target) ctx.emitNode({ id, kind: 'azure_application', name: `client ${clientId}`, handles: [clientId], stub: true, props: { clientId } });
  const creds = target ? ctx.in(target.id, 'AUTHENTICATES_AS').map((e) => ctx.node(e.src)).filter((n): n is StoredNode => n?.kind === 'azure_federated_credential') : [];
  if (!creds.length) {
    ctx.emitEdge({ from: sa.id, to: id, kind: 'FEDERATES_TO', props: { reason: `Azure Workload Identity: the service account is annotated with client id ${clientId}`, technique: 'Azure Workload Identity', evidence: [ev], conditional: `the federated credentials of ${clientId} are not in the case: one must have subject ${sub} and the cluster's issuer` } });
    return;
  }
  const match = creds.find((c) => c.props['subject'] === sub);
  if (!match) {
    ctx.emitEdge({ from: sa.id, to: id, kind: 'FEDERATION_REFUSED', props: { reason: `Azure Workload Identity annotation names ${clientId}, but none of its federated credentials has subject ${sub}`, technique: 'Azure Workload Identity', refused: true, evidence: [ev] } });
    return;
  }
  ctx.emitEdge({ from: sa.id, to: id, kind: 'FEDERATES_TO', props: { reason: `Azure Workload Identity: annotated with client id ${clientId}, whose federated credential ${match.name} accepts ${sub}`, technique: 'Azure Workload Identity', evidence: [ev, { type: 'federated-credential', summary: `Federated credential ${match.name} has subject ${sub}${typeof match.props['issuer'] === 'string' ? ` and issuer ${match.props['issuer']}` : ''}` }] } });
}

