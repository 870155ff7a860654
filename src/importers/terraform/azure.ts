import type { GraphFragment, Json, NodeFact } from '../../model/fragment.js';
import { ids } from '../../model/ids.js';
import type { NodeKind } from '../../model/kinds.js';
import { subscriptionOf, scopeKind, type StoredAssignment } from '../../providers/azure/rbac.js';
import { directoryObject, federated } from '../azure-graph.js';
import type { TfContext } from './context.js';
import type { Instance } from './read.js';

// The azurerm and azuread providers: role assignments (azurerm_role_assignment, stored on their scope's node as
// props.roleAssignmentsDeclared — what the code declares of a scope whose full list other exports give), user-assigned
// identities and their federated credentials, app registrations, service principals, their client secrets (the value
// never read) and federated credentials. Nodes are those of the az/Graph and ARM importers.

const TYPES = new Set([
  'azurerm_role_assignment', 'azurerm_user_assigned_identity', 'azurerm_federated_identity_credential',
  'azuread_application', 'azuread_application_registration', 'azuread_service_principal', 'azuread_application_password',
  'azuread_service_principal_password', 'azuread_application_federated_identity_credential',
]);

export function isAzureType(type: string): boolean {
  return TYPES.has(type);
}

const PRINCIPAL: Record<string, NodeKind> = { user: 'azure_user', group: 'azure_group', serviceprincipal: 'azure_service_principal' };

export function mapAzure(tf: TfContext, instances: Instance[]): void {
  const scratch: GraphFragment = { nodes: [], edges: [], warnings: [] };
  const stubs = new Map<string, NodeFact>();
  const apps = new Map<string, string>();
  // Identities first: assignments and federated credentials refer to them.
  for (const inst of instances) {
    const s = (k: string) => tf.str(inst, k);
    switch (inst.type) {
      case 'azurerm_user_assigned_identity': {
        const principalId = s('principal_id')?.toLowerCase();
        const id = principalId ? ids.azureObject(principalId) : `azure:object:terraform:${inst.address}`;
        const clientId = s('client_id')?.toLowerCase();
        tf.node({ id, kind: 'azure_managed_identity', name: s('name') ?? inst.name, handles: [...(principalId ? [principalId] : []), ...(clientId ? [clientId] : []), ...(s('id') ? [s('id')!] : [])], props: { ...(principalId ? { objectId: principalId } : {}), ...(clientId ? { appId: clientId } : {}), servicePrincipalType: 'ManagedIdentity', ...(s('id') ? { resourceId: s('id')! } : {}), ...(s('tenant_id') ? { tenantId: s('tenant_id')!.toLowerCase() } : {}), ...tf.tf(inst) }, ...(s('tenant_id') ? { boundary: ids.azureTenant(s('tenant_id')!) } : {}) });
        if (clientId) (tf.fragment.aliases ??= []).push({ from: ids.azureClientId(clientId), to: id });
        tf.made(inst, id);
        break;
      }
      case 'azuread_application':
      case 'azuread_application_registration':
      case 'azuread_service_principal': {
        const objectId = s('object_id') ?? s('id')?.replace(/^\/(applications|servicePrincipals)\//, '');
        if (!objectId) {
          tf.warn(`${inst.address}: the object id is known only after apply; skipped`, inst.at);
          break;
        }
        const sp = inst.type === 'azuread_service_principal';
        const o: Record<string, unknown> = {
          id: objectId,
          appId: s('client_id') ?? s('application_id'),
          displayName: s('display_name'),
          ...(sp ? { servicePrincipalType: s('type') ?? 'Application', accountEnabled: inst.values['account_enabled'] !== false, appOwnerOrganizationId: s('application_tenant_id') } : { signInAudience: s('sign_in_audience') }),
          tags: tf.strings(inst, 'tags'),
          notes: s('notes'),
        };
        const before = scratch.nodes.length;
        directoryObject(tf.file, o, inst.at, sp ? 'servicePrincipal' : 'application', undefined, tf.ctx, scratch, stubs, new Set());
        const made = scratch.nodes[before];
        if (made) made.props = { ...made.props, ...tf.tf(inst) };
        const id = ids.azureObject(objectId);
        if (!sp) apps.set(inst.configAddress, id);
        tf.made(inst, id);
        for (const owner of tf.strings(inst, 'owners')) {
          const ownerId = ids.azureObject(owner);
          tf.stub({ id: ownerId, kind: 'azure_user', name: owner, handles: [owner] });
          tf.edge({ from: ownerId, to: id, kind: 'OWNS', props: { reason: `is an owner (${inst.type}.owners)`, at: inst.at } });
        }
        break;
      }
      default:
        break;
    }
  }
  for (const inst of instances) {
    const s = (k: string) => tf.str(inst, k);
    switch (inst.type) {
      case 'azurerm_role_assignment':
        roleAssignment(tf, inst);
        break;
      case 'azurerm_federated_identity_credential': {
        const parent = s('parent_id');
        const identity = (parent ? instances.find((i) => i.type === 'azurerm_user_assigned_identity' && tf.str(i, 'id')?.toLowerCase() === parent.toLowerCase()) : undefined) ?? refTarget(tf, inst, 'parent_id');
        const node = identity ? tf.nodeOf(identity.configAddress)?.id : undefined;
        if (!node) {
          tf.warn(`${inst.address}: the user-assigned identity it belongs to (${parent ?? 'unknown'}) is not in this file; skipped`, inst.at);
          break;
        }
        federated(tf.file, { name: s('name') ?? inst.name, issuer: s('issuer'), subject: s('subject'), audiences: tf.strings(inst, 'audience') }, inst.at, node, scratch, stubs);
        break;
      }
      case 'azuread_application_federated_identity_credential':
      case 'azuread_application_password':
      case 'azuread_service_principal_password': {
        const owner = ownerOf(tf, inst, apps);
        if (!owner) {
          tf.warn(`${inst.address}: the application it belongs to is not known; skipped`, inst.at);
          break;
        }
        if (inst.type === 'azuread_application_federated_identity_credential') {
          federated(tf.file, { id: s('credential_id'), name: s('display_name'), issuer: s('issuer'), subject: s('subject'), audiences: tf.strings(inst, 'audiences') }, inst.at, owner, scratch, stubs);
          break;
        }
        // The secret's value is never read; only when it is there, the file is said to hold it.
        const secretInState = typeof inst.values['value'] === 'string' && inst.values['value'] !== '';
        if (secretInState) tf.warn(`${inst.address}: the file holds a client secret's value in clear (not stored here): whoever reads the file can sign in as the application`, inst.at);
        const keyId = s('key_id') ?? `terraform:${inst.address}`;
        const holder = { id: owner.replace(/^azure:object:/, ''), displayName: inst.address, passwordCredentials: [{ keyId, displayName: s('display_name') ?? inst.name, startDateTime: s('start_date'), endDateTime: s('end_date') }] };
        const before = scratch.nodes.length;
        directoryObject(tf.file, holder, inst.at, inst.type === 'azuread_service_principal_password' ? 'servicePrincipal' : 'application', undefined, tf.ctx, scratch, stubs, new Set());
        // Keep the credential and its edge; the owner itself is described by its own resource.
        scratch.nodes.splice(before, 1);
        const cred = scratch.nodes[before];
        if (cred) cred.props = { ...cred.props, ...tf.tf(inst), ...(secretInState ? { secretInState: true } : {}) };
        break;
      }
      default:
        break;
    }
  }
  for (const n of scratch.nodes) tf.node(n);
  for (const n of stubs.values()) tf.stub(n);
  for (const e of scratch.edges) tf.edge(e);
  tf.fragment.aliases = [...(tf.fragment.aliases ?? []), ...(scratch.aliases ?? [])];
  tf.fragment.warnings.push(...scratch.warnings);
}

function roleAssignment(tf: TfContext, inst: Instance): void {
  const s = (k: string) => tf.str(inst, k);
  const scope = s('scope');
  let principalId = s('principal_id')?.toLowerCase();
  let principalNode = principalId ? ids.azureObject(principalId) : undefined;
  if (!principalId) {
    // An identity this plan creates: its principal id is known after apply; its node is the identity's.
    const target = refTarget(tf, inst, 'principal_id');
    principalNode = target ? tf.nodeOf(target.configAddress)?.id : undefined;
    principalId = principalNode?.replace(/^azure:object:/, '');
  }
  const roleDefinitionId = s('role_definition_id') ?? (s('role_definition_name') ? `name:${s('role_definition_name')}` : undefined);
  if (!scope || !principalId || !principalNode || !roleDefinitionId) {
    tf.warn(`${inst.address}: scope, principal or role is known only after apply; the assignment is skipped`, inst.at);
    return;
  }
  const principalType = s('principal_type') ?? 'Unknown';
  const a: StoredAssignment = {
    assignmentId: s('id') ?? s('name') ?? inst.address,
    roleDefinitionId,
    ...(s('role_definition_name') ? { roleName: s('role_definition_name')! } : {}),
    principalId,
    principalType,
    scope,
    ...(s('condition') ? { condition: s('condition')! } : {}),
    at: `${tf.file} ${inst.address} (${inst.at})`,
  };
  const kind = scopeKind(scope.replace(/\/+$/, ''));
  const sub = subscriptionOf(scope);
  const holder: NodeFact =
    kind === 'subscription'
      ? { id: ids.azureSubscription(sub!), kind: 'azure_subscription', name: `subscription ${sub}`, handles: [sub!], props: { subscriptionId: sub! }, stub: true }
      : { id: ids.azureResource(scope), kind: 'azure_resource', name: scope.split('/').pop() || scope, handles: [scope], props: { scope, scopeKind: kind }, stub: true, ...(sub ? { boundary: ids.azureSubscription(sub) } : {}) };
  const prev = tf.existing(holder.id);
  const list = [...((prev?.props?.['roleAssignmentsDeclared'] as Json[] | undefined) ?? []), a as unknown as Json];
  tf.node({ ...holder, props: { ...holder.props, roleAssignmentsDeclared: list } });
  if (kind === 'subscription' || sub) {
    const subId = ids.azureSubscription(sub!);
    tf.stub({ id: subId, kind: 'azure_subscription', name: `subscription ${sub}`, handles: [sub!], props: { subscriptionId: sub! } });
    tf.stub({ id: ids.admin(subId), kind: 'admin', name: `Owner of Azure subscription ${sub}`, boundary: subId });
  }
  const pk = PRINCIPAL[principalType.toLowerCase()];
  if (pk && principalNode.startsWith('azure:object:') && !tf.existing(principalNode)) tf.stub({ id: principalNode, kind: pk, name: `${principalType} ${principalId}`, handles: [principalId], props: { objectId: principalId, principalType } });
}

/** The resource an attribute unknown until apply refers to. */
function refTarget(tf: TfContext, inst: Instance, attr: string): Instance | undefined {
  const ref = tf.ref(inst, attr);
  return ref ? tf.nodeOf(ref.address)?.inst : undefined;
}

/** The application (or service principal) node a credential resource belongs to. */
function ownerOf(tf: TfContext, inst: Instance, apps: Map<string, string>): string | undefined {
  for (const attr of ['application_id', 'application_object_id', 'service_principal_id']) {
    const v = tf.str(inst, attr);
    if (v) return ids.azureObject(v.replace(/^\/(applications|servicePrincipals)\//, ''));
    const ref = tf.ref(inst, attr);
    if (ref) return apps.get(ref.address) ?? tf.nodeOf(ref.address)?.id;
  }
  return undefined;
}
