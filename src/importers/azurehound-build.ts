import { isObject } from '../model/fragment.js';
import type { EdgeFact, GraphFragment, Json, JsonObject, NodeFact } from '../model/fragment.js';
import { ids } from '../model/ids.js';
import type { NodeKind } from '../model/kinds.js';
import { entraRoleName, graphAppRoleName, resourceTypeOf } from '../providers/azure/entra.js';
import { roleGuid, scopeKind, subscriptionOf, type StoredAssignment } from '../providers/azure/rbac.js';
import { directoryObject, federated } from './azure-graph.js';
import { ImportError } from './errors.js';
import type { ImportContext } from './types.js';
import { str, strings, unique } from './json-values.js';

// Builds the graph facts of one AzureHound file. Two passes: the first learns every object's kind and every
// application's client id (records refer to each other in any order, and across kinds); the second writes nodes and
// edges. Role assignments of Azure resources are stored on their scope's node (props.roleAssignments), as the ARM
// importer stores them, and resolved by the azure-role-assignments rule.

export interface HoundRecord {
  kind: string;
  data: Record<string, unknown>;
  at: string;
}

/** Kinds read into the graph. */
const ENTRA = new Set(['AZTenant', 'AZUser', 'AZGroup', 'AZApp', 'AZServicePrincipal', 'AZAppOwner', 'AZServicePrincipalOwner', 'AZGroupOwner', 'AZGroupMember', 'AZFederatedIdentityCredential', 'AZRole', 'AZRoleAssignment', 'AZRoleEligibilityScheduleInstance', 'AZAppRoleAssignment']);
/** ARM resources that can carry managed identities, by AzureHound kind. */
const IDENTITY_RESOURCES: Record<string, string> = {
  AZVM: 'microsoft.compute/virtualmachines',
  AZVMScaleSet: 'microsoft.compute/virtualmachinescalesets',
  AZFunctionApp: 'microsoft.web/sites',
  AZWebApp: 'microsoft.web/sites',
  AZLogicApp: 'microsoft.logic/workflows',
  AZAutomationAccount: 'microsoft.automation/automationaccounts',
  AZContainerRegistry: 'microsoft.containerregistry/registries',
  AZManagedCluster: 'microsoft.containerservice/managedclusters',
};
const ARM = new Set(['AZSubscription', 'AZResourceGroup', 'AZManagementGroup', 'AZManagementGroupDescendant', 'AZKeyVault', 'AZKeyVaultAccessPolicy', 'AZStorageAccount', ...Object.keys(IDENTITY_RESOURCES)]);
/** Role-assignment listings at ARM scopes (BloodHound's per-role lists and the full per-resource lists). */
const ASSIGNMENT_KINDS = /^AZ(Subscription|ResourceGroup|ManagementGroup|KeyVault|VM|VMScaleSet|FunctionApp|WebApp|LogicApp|AutomationAccount|ContainerRegistry|ManagedCluster|StorageAccount)(RoleAssignment|Owner|Contributor|UserAccessAdmin|KVContributor|VMContributor|AvereContributor|AdminLogin)$/;
/** Kinds AzureHound collects that have no bearing on non-human identities here. */
const NOT_MODELLED = new Set(['AZDevice', 'AZStorageContainer', 'AZRoleManagementPolicyAssignment', 'AZAppMember']);

const ODATA_KINDS: Record<string, NodeKind> = {
  '#microsoft.graph.user': 'azure_user',
  '#microsoft.graph.group': 'azure_group',
  '#microsoft.graph.serviceprincipal': 'azure_service_principal',
  '#microsoft.graph.application': 'azure_application',
};
const PRINCIPAL_TYPE: Partial<Record<NodeKind, string>> = { azure_user: 'User', azure_group: 'Group', azure_service_principal: 'ServicePrincipal', azure_managed_identity: 'ServicePrincipal', azure_application: 'Application' };

export class AzureHoundBuilder {
  private readonly fragment: GraphFragment = { nodes: [], edges: [], warnings: [] };
  private readonly stubs = new Map<string, NodeFact>();
  private readonly seenApps = new Set<string>();
  /** object id (lower) → kind, from the records that describe objects. */
  private readonly kindOf = new Map<string, NodeKind>();
  /** application client id (lower) → application object id (lower). */
  private readonly appByClientId = new Map<string, string>();
  private readonly appObjectIds = new Set<string>();
  /** The tenant most records name: the boundary of objects whose record does not say. */
  private tenant: string | undefined;
  private readonly tenants = new Set<string>();
  private readonly scopes = new Map<string, NodeFact>();
  private readonly assignments = new Map<string, Map<string, StoredAssignment>>();
  private readonly mgParent = new Map<string, string>();
  private readonly subsUnderMg = new Map<string, Set<string>>();
  private readonly unknownKinds = new Map<string, number>();
  private readonly skippedKinds = new Map<string, number>();
  private readonly unknownPrincipals = new Set<string>();

  constructor(
    private readonly file: string,
    private readonly ctx: ImportContext,
  ) {}

  private readonly tenantCounts = new Map<string, number>();

  build(records: HoundRecord[]): GraphFragment {
    for (const r of records) this.learn(r);
    this.startReading();
    for (const r of records) this.read(r);
    return this.finished();
  }

  // --- first pass (public, with startReading, read and finished, for a file streamed twice) -------------

  learn(r: HoundRecord): void {
    const d = r.data;
    const tenant = lower(str(d['tenantId']));
    if (tenant) {
      this.tenantCounts.set(tenant, (this.tenantCounts.get(tenant) ?? 0) + 1);
      this.tenants.add(tenant);
    }
    const id = lower(str(d['id']));
    switch (r.kind) {
      case 'AZUser': if (id) this.kindOf.set(id, 'azure_user'); break;
      case 'AZGroup': if (id) this.kindOf.set(id, 'azure_group'); break;
      case 'AZServicePrincipal': if (id) this.kindOf.set(id, /^ManagedIdentit(y|ies)$/.test(str(d['servicePrincipalType']) ?? '') ? 'azure_managed_identity' : 'azure_service_principal'); break;
      case 'AZApp': {
        if (!id) break;
        this.kindOf.set(id, 'azure_application');
        this.appObjectIds.add(id);
        const appId = lower(str(d['appId']));
        if (appId) this.appByClientId.set(appId, id);
        break;
      }
      default: break;
    }
  }

  // --- second pass ---------------------------------------------------------------------------------

  /** Every record has been learnt: the second pass may start. */
  startReading(): void {
    this.tenant = [...this.tenantCounts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
    for (const t of this.tenants) this.tenantNodes(t, false);
  }

  read(r: HoundRecord): void {
    const { kind, data: d, at } = r;
    if (ENTRA.has(kind)) return this.entra(kind, d, at);
    if (ARM.has(kind)) return this.arm(kind, d, at);
    if (ASSIGNMENT_KINDS.test(kind)) return this.scopeAssignments(d, at);
    if (NOT_MODELLED.has(kind)) return void this.skippedKinds.set(kind, (this.skippedKinds.get(kind) ?? 0) + 1);
    this.unknownKinds.set(kind, (this.unknownKinds.get(kind) ?? 0) + 1);
  }

  private entra(kind: string, d: Record<string, unknown>, at: string): void {
    const tenant = lower(str(d['tenantId'])) ?? this.tenant;
    switch (kind) {
      case 'AZTenant': {
        const t = lower(str(d['tenantId'])) ?? lower(/[0-9a-f-]{36}/i.exec(str(d['id']) ?? '')?.[0]);
        if (!t) throw new ImportError(this.file, 'an AZTenant record needs "tenantId"', `${at}.data.tenantId`);
        if (!this.tenants.has(t)) this.tenantNodes(t, false);
        this.tenantNodes(t, true, d, `${at}.data`);
        return;
      }
      case 'AZUser':
      case 'AZGroup': {
        const id = this.requireId(d, kind, at);
        const name = str(d['userPrincipalName']) ?? str(d['displayName']) ?? id;
        const props: JsonObject = clean({
          objectId: id,
          displayName: str(d['displayName']),
          userPrincipalName: str(d['userPrincipalName']),
          accountEnabled: typeof d['accountEnabled'] === 'boolean' ? d['accountEnabled'] : undefined,
          userType: str(d['userType']),
          isAssignableToRole: d['isAssignableToRole'] === true ? true : undefined,
          securityEnabled: typeof d['securityEnabled'] === 'boolean' ? d['securityEnabled'] : undefined,
          onPremisesSecurityIdentifier: str(d['onPremisesSecurityIdentifier']),
          createdAt: str(d['createdDateTime']),
          tenantId: tenant,
          at,
        });
        this.fragment.nodes.push({ id: ids.azureObject(id), kind: kind === 'AZUser' ? 'azure_user' : 'azure_group', name, handles: unique([id, str(d['userPrincipalName']), str(d['mail']), str(d['displayName'])]), props, ...this.inTenant(tenant) });
        return;
      }
      case 'AZApp':
      case 'AZServicePrincipal':
        this.requireId(d, kind, at);
        directoryObject(this.file, d, `${at}.data`, kind === 'AZApp' ? 'application' : 'servicePrincipal', tenant, this.ctx, this.fragment, this.stubs, this.seenApps);
        return;
      case 'AZAppOwner':
        return this.owners(d, at, (o) => this.appNode(str(o['appId']), str(d['appId'])));
      case 'AZServicePrincipalOwner':
        return this.owners(d, at, (o) => this.objectNode(str(o['servicePrincipalId']) ?? str(d['servicePrincipalId']), 'azure_service_principal', tenant));
      case 'AZGroupOwner':
        return this.owners(d, at, (o) => this.objectNode(str(o['groupId']) ?? str(d['groupId']), 'azure_group', tenant));
      case 'AZGroupMember':
        return this.members(d, at);
      case 'AZFederatedIdentityCredential': {
        const list = arr(d['fics']);
        list.forEach((entry, i) => {
          const where = `${at}.data.fics[${i}]`;
          if (!isObject(entry) || !isObject(entry['fic'])) return void this.fragment.warnings.push({ message: 'federated credential entry skipped: no "fic" object', location: where });
          const app = this.appNode(undefined, str(entry['appId']) ?? str(d['appId']));
          if (!app) throw new ImportError(this.file, 'a federated credential list needs the application\'s "appId"', `${at}.data.appId`);
          federated(this.file, entry['fic'], `${where}.fic`, app, this.fragment, this.stubs);
        });
        return;
      }
      case 'AZRole': {
        const id = this.requireId(d, kind, at);
        if (!tenant) throw new ImportError(this.file, 'a directory role needs the tenant it belongs to ("tenantId")', `${at}.data.tenantId`);
        const actions = arr(d['rolePermissions']).flatMap((p) => (isObject(p) ? strings(p['allowedResourceActions']) : []));
        const templateId = lower(str(d['templateId'])) ?? id;
        this.fragment.nodes.push({
          id: ids.azureDirectoryRole(tenant, id),
          kind: 'azure_directory_role',
          name: str(d['displayName']) ?? entraRoleName(templateId) ?? id,
          handles: unique([id, templateId, str(d['displayName'])]),
          props: clean({ roleDefinitionId: id, templateId, displayName: str(d['displayName']), isBuiltIn: typeof d['isBuiltIn'] === 'boolean' ? d['isBuiltIn'] : undefined, allowedResourceActions: actions, tenantId: tenant, at }),
          ...this.inTenant(tenant),
        });
        return;
      }
      case 'AZRoleAssignment': {
        arr(d['roleAssignments']).forEach((ra, i) => {
          if (!isObject(ra)) return;
          this.directoryRoleAssignment(ra, lower(str(ra['roleDefinitionId']) ?? str(d['roleDefinitionId'])), tenant, `${at}.data.roleAssignments[${i}]`, false);
        });
        return;
      }
      case 'AZRoleEligibilityScheduleInstance':
        this.directoryRoleAssignment(d, lower(str(d['roleDefinitionId'])), tenant, `${at}.data`, true);
        return;
      case 'AZAppRoleAssignment':
        return this.appRoleAssignment(d, tenant, at);
      default:
        return;
    }
  }

  private directoryRoleAssignment(ra: Record<string, unknown>, roleId: string | undefined, tenant: string | undefined, at: string, eligible: boolean): void {
    const principal = lower(str(ra['principalId']));
    if (!principal || !roleId) throw new ImportError(this.file, 'a directory role assignment needs "principalId" and "roleDefinitionId"', at);
    if (!tenant) throw new ImportError(this.file, 'a directory role assignment needs the tenant ("tenantId")', at);
    const roleNode = ids.azureDirectoryRole(tenant, roleId);
    this.stub(roleNode, () => ({ id: roleNode, kind: 'azure_directory_role', name: entraRoleName(roleId) ?? `directory role ${roleId}`, handles: [roleId], props: { roleDefinitionId: roleId, tenantId: tenant }, ...this.inTenant(tenant) }));
    const embedded = isObject(ra['principal']) ? ra['principal'] : undefined;
    const from = this.principal(principal, embedded ? ODATA_KINDS[(str(embedded['@odata.type']) ?? '').toLowerCase()] : undefined, embedded, tenant);
    // AzureHound rewrites an application-scoped assignment's directoryScopeId to "/<client id of the app>".
    const scope = str(ra['directoryScopeId']) ?? '/';
    this.fragment.edges.push({
      from,
      to: roleNode,
      kind: 'HAS_ROLE',
      props: {
        reason: `${eligible ? 'is eligible (PIM) for' : 'is assigned'} the directory role${scope === '/' ? '' : ` at scope ${scope}`}`,
        roleDefinitionId: roleId,
        directoryScopeId: scope,
        ...(eligible ? { eligible: true } : {}),
        ...(str(ra['id']) ? { assignmentId: str(ra['id'])! } : {}),
        at,
      },
    });
  }

  private appRoleAssignment(d: Record<string, unknown>, tenant: string | undefined, at: string): void {
    const principal = lower(str(d['principalId']));
    const resource = lower(str(d['resourceId']));
    const appRoleId = lower(str(d['appRoleId']));
    if (!principal || !resource || !appRoleId) throw new ImportError(this.file, 'an app role assignment needs "principalId", "resourceId" and "appRoleId"', `${at}.data`);
    const pType = (str(d['principalType']) ?? '').toLowerCase();
    const from = this.principal(principal, pType === 'user' ? 'azure_user' : pType === 'group' ? 'azure_group' : 'azure_service_principal', { displayName: str(d['principalDisplayName']) ?? null }, tenant);
    const to = this.principal(resource, 'azure_service_principal', { displayName: str(d['resourceDisplayName']) ?? null, ...(str(d['appId']) ? { appId: lower(str(d['appId']))! } : {}) }, tenant);
    const roleName = graphAppRoleName(appRoleId);
    this.fragment.edges.push({
      from,
      to,
      kind: 'HAS_ROLE',
      props: {
        reason: `is granted the application permission ${roleName ?? appRoleId} of ${str(d['resourceDisplayName']) ?? 'the resource application'}`,
        appRoleId,
        ...(roleName ? { appRoleName: roleName } : {}),
        ...(str(d['appId']) ? { resourceAppId: lower(str(d['appId']))! } : {}),
        ...(str(d['id']) ? { assignmentId: str(d['id'])! } : {}),
        at: `${at}.data`,
      },
    });
  }

  /** The node id of a directory object named by a record, with a stub when no record of this file describes it. */
  private principal(objectId: string, hint: NodeKind | undefined, embedded: Record<string, unknown> | undefined, tenant: string | undefined): string {
    const id = ids.azureObject(objectId);
    const kind = this.kindOf.get(objectId) ?? hint ?? 'azure_service_principal';
    if (!this.kindOf.has(objectId)) {
      const name = str(embedded?.['userPrincipalName']) ?? str(embedded?.['displayName']) ?? objectId;
      const appId = lower(str(embedded?.['appId']));
      this.stub(id, () => ({ id, kind, name, handles: unique([objectId, name, appId]), props: clean({ objectId, appId, tenantId: tenant }), stub: true, ...this.inTenant(tenant) }));
    }
    return id;
  }

  private objectNode(objectId: string | undefined, hint: NodeKind, tenant: string | undefined): string | undefined {
    const id = lower(objectId);
    return id ? this.principal(id, hint, undefined, tenant) : undefined;
  }

  private owners(d: Record<string, unknown>, at: string, targetOf: (entry: Record<string, unknown>) => string | undefined): void {
    const [listKey, itemKey] = ['owners', 'owner'];
    arr(d[listKey]).forEach((entry, i) => {
      const where = `${at}.data.${listKey}[${i}]`;
      if (!isObject(entry) || !isObject(entry[itemKey])) return void this.fragment.warnings.push({ message: `${itemKey} entry skipped: no "${itemKey}" object`, location: where });
      const owner = entry[itemKey] as Record<string, unknown>;
      const ownerId = lower(str(owner['id']));
      const target = targetOf(entry);
      if (!ownerId || !target) return void this.fragment.warnings.push({ message: `${itemKey} entry skipped: no object id for the ${itemKey} or its object`, location: where });
      const from = this.principal(ownerId, ODATA_KINDS[(str(owner['@odata.type']) ?? '').toLowerCase()], owner, lower(str(d['tenantId'])) ?? this.tenant);
      this.fragment.edges.push({ from, to: target, kind: 'OWNS', props: { reason: 'is recorded as an owner', at: where } } satisfies EdgeFact);
    });
  }

  private members(d: Record<string, unknown>, at: string): void {
    arr(d['members']).forEach((entry, i) => {
      const where = `${at}.data.members[${i}]`;
      if (!isObject(entry) || !isObject(entry['member'])) return void this.fragment.warnings.push({ message: 'member entry skipped: no "member" object', location: where });
      const member = entry['member'];
      const memberId = lower(str(member['id']));
      const group = lower(str(entry['groupId']) ?? str(d['groupId']));
      if (!memberId || !group) return void this.fragment.warnings.push({ message: 'member entry skipped: no object id for the member or its group', location: where });
      const type = (str(member['@odata.type']) ?? '').toLowerCase();
      // Devices and contacts are group members too; they are not identities an attacker walks from here.
      if (type && !ODATA_KINDS[type]) return;
      const from = this.principal(memberId, ODATA_KINDS[type], member, this.tenant);
      const to = this.principal(group, 'azure_group', undefined, this.tenant);
      this.fragment.edges.push({ from, to, kind: 'MEMBER_OF', props: { reason: 'is a member of the group', at: where } });
    });
  }

  /** An application's node id from an owner entry (its object id) or a record's client id. */
  private appNode(objectId: string | undefined, clientId: string | undefined): string | undefined {
    const o = lower(objectId);
    if (o && this.appObjectIds.has(o)) return ids.azureObject(o);
    const c = lower(clientId);
    const known = c ? this.appByClientId.get(c) : undefined;
    if (known) return ids.azureObject(known);
    if (o && o !== c) return this.principal(o, 'azure_application', undefined, this.tenant);
    if (!c) return undefined;
    // The application is not in this file: its client id stands in (an alias the Entra importers resolve to the
    // application once one of its exports is in the case).
    const alias = ids.azureClientId(c);
    this.stub(alias, () => ({ id: alias, kind: 'azure_application', name: c, handles: [c], props: { appId: c }, stub: true, ...this.inTenant(this.tenant) }));
    return alias;
  }

  // --- Azure Resource Manager ----------------------------------------------------------------------

  private arm(kind: string, d: Record<string, unknown>, at: string): void {
    switch (kind) {
      case 'AZSubscription': {
        const sub = lower(str(d['subscriptionId'])) ?? subscriptionOf(str(d['id']) ?? '');
        if (!sub) throw new ImportError(this.file, 'an AZSubscription record needs "subscriptionId"', `${at}.data.subscriptionId`);
        const tenant = lower(str(d['tenantId']));
        const node = this.scopeNode(`/subscriptions/${sub}`);
        node.name = str(d['displayName']) ?? `subscription ${sub}`;
        node.stub = false;
        node.handles = unique([sub, `/subscriptions/${sub}`, str(d['displayName'])]);
        Object.assign(node.props!, clean({ subscriptionId: sub, displayName: str(d['displayName']), state: str(d['state']), tenantId: tenant, at }));
        return;
      }
      case 'AZResourceGroup':
      case 'AZManagementGroup':
      case 'AZStorageAccount':
      case 'AZKeyVault':
        return this.resource(kind, d, at);
      case 'AZManagementGroupDescendant': {
        const child = str(d['id']);
        const parent = isObject(d['properties']) && isObject(d['properties']['parent']) ? str(d['properties']['parent']['id']) : undefined;
        if (!child || !parent) return void this.fragment.warnings.push({ message: 'management group descendant skipped: no "id" or "properties.parent.id"', location: `${at}.data` });
        this.mgParent.set(normScope(child), normScope(parent));
        return;
      }
      case 'AZKeyVaultAccessPolicy': {
        const vault = str(d['keyVaultId']);
        if (!vault) throw new ImportError(this.file, 'a key vault access policy needs "keyVaultId"', `${at}.data.keyVaultId`);
        this.accessPolicy(this.scopeNode(vault), d, `${at}.data`);
        return;
      }
      default:
        if (IDENTITY_RESOURCES[kind]) return this.resource(kind, d, at);
    }
  }

  private resource(kind: string, d: Record<string, unknown>, at: string): void {
    const resourceId = str(d['id']);
    if (!resourceId) throw new ImportError(this.file, `an ${kind} record needs its resource "id"`, `${at}.data.id`);
    const node = this.scopeNode(resourceId);
    const props = node.props!;
    node.stub = false;
    const properties = isObject(d['properties']) ? d['properties'] : {};
    const display = str(d['name']) ?? str(properties['displayName']);
    if (display) node.name = `${display} (${kind.replace(/^AZ/, '')})`;
    node.handles = unique([...(node.handles ?? []), resourceId, str(d['name'])]);
    Object.assign(props, clean({ resourceType: resourceTypeOf(resourceId) ?? IDENTITY_RESOURCES[kind], name: str(d['name']), location: str(d['location']), houndKind: kind, tenantId: lower(str(d['tenantId'])), at }));
    if (isObject(d['tags'])) props['tags'] = d['tags'] as JsonObject;
    if (kind === 'AZKeyVault') {
      if (typeof properties['enableRbacAuthorization'] === 'boolean') props['enableRbacAuthorization'] = properties['enableRbacAuthorization'];
      if (str(properties['vaultUri'])) props['vaultUri'] = str(properties['vaultUri'])!;
      arr(properties['accessPolicies']).forEach((p, i) => isObject(p) && this.accessPolicy(node, p, `${at}.data.properties.accessPolicies[${i}]`));
    }
    const identity = isObject(d['identity']) ? d['identity'] : undefined;
    if (identity) this.identities(node, identity, lower(str(d['tenantId'])) ?? this.tenant, `${at}.data.identity`);
  }

  private identities(node: NodeFact, identity: Record<string, unknown>, tenant: string | undefined, at: string): void {
    const list: JsonObject[] = [];
    const system = lower(str(identity['principalId']));
    if (system) list.push({ principalId: system, type: 'SystemAssigned' });
    if (isObject(identity['userAssignedIdentities'])) {
      for (const [resId, v] of Object.entries(identity['userAssignedIdentities'])) {
        const principalId = isObject(v) ? lower(str(v['principalId'])) : undefined;
        if (principalId) list.push(clean({ principalId, type: 'UserAssigned', resourceId: resId, clientId: isObject(v) ? lower(str(v['clientId'])) : undefined }));
      }
    }
    if (!list.length) return;
    node.props!['managedIdentities'] = list;
    for (const mi of list) {
      const principalId = mi['principalId'] as string;
      const id = ids.azureObject(principalId);
      const clientId = typeof mi['clientId'] === 'string' ? mi['clientId'] : undefined;
      const resId = typeof mi['resourceId'] === 'string' ? mi['resourceId'] : undefined;
      const name = mi['type'] === 'SystemAssigned' ? `${node.name} (system-assigned identity)` : (resId?.split('/').pop() ?? principalId);
      this.stub(id, () => ({ id, kind: 'azure_managed_identity', name, handles: unique([principalId, clientId, resId]), props: clean({ objectId: principalId, servicePrincipalType: 'ManagedIdentity', appId: clientId, tenantId: tenant, at }), stub: true, ...this.inTenant(tenant) }));
      // Workload-identity annotations name the client id of a user-assigned identity.
      if (clientId) (this.fragment.aliases ??= []).push({ from: ids.azureClientId(clientId), to: id });
      // A user-assigned identity's federated credentials (ARM) name it by its resource id.
      if (resId) (this.fragment.aliases ??= []).push({ from: ids.azureResource(resId), to: id });
    }
  }

  private accessPolicy(vault: NodeFact, p: Record<string, unknown>, at: string): void {
    const objectId = lower(str(p['objectId']));
    if (!objectId) return void this.fragment.warnings.push({ message: 'access policy skipped: no "objectId"', location: at });
    const perms = isObject(p['permissions']) ? p['permissions'] : {};
    const entry: JsonObject = clean({
      objectId,
      applicationId: lower(str(p['applicationId'])),
      tenantId: lower(str(p['tenantId'])),
      permissions: { keys: strings(perms['keys']), secrets: strings(perms['secrets']), certificates: strings(perms['certificates']), storage: strings(perms['storage']) },
      at: `${this.file} ${at}`,
    });
    const list = (vault.props!['accessPolicies'] ??= []) as Json[];
    const key = `${objectId}|${entry['applicationId'] ?? ''}`;
    if (!list.some((x) => isObject(x) && `${String(x['objectId'])}|${String(x['applicationId'] ?? '')}` === key)) list.push(entry);
    if (this.kindOf.has(objectId)) this.principal(objectId, undefined, undefined, this.tenant);
  }

  /** Role assignments listed for an ARM scope (subscription, resource group, management group, resource). */
  private scopeAssignments(d: Record<string, unknown>, at: string): void {
    for (const [key, value] of Object.entries(d)) {
      if (!Array.isArray(value)) continue;
      value.forEach((entry, i) => {
        if (!isObject(entry)) return;
        const where = `${at}.data.${key}[${i}]`;
        // The assignment sits under a role-named key (owner, contributor, roleAssignment, assignee…).
        const [inner, ra] = Object.entries(entry).find(([, v]) => isObject(v) && isObject(v['properties'])) ?? [];
        if (!ra || !isObject(ra) || !isObject(ra['properties'])) return void this.fragment.warnings.push({ message: 'role assignment entry skipped: no assignment with "properties"', location: where });
        const p = ra['properties'];
        const principalId = lower(str(p['principalId']));
        const roleDefinitionId = str(p['roleDefinitionId']) ?? str(entry['roleDefinitionId']);
        const scope = str(p['scope']);
        if (!principalId || !roleDefinitionId || scope === undefined) throw new ImportError(this.file, 'a role assignment needs principalId, roleDefinitionId and scope', `${where}.${inner}.properties`);
        const known = this.kindOf.get(principalId);
        const a: StoredAssignment = {
          assignmentId: str(ra['id']) ?? str(ra['name']) ?? `${scope}#${principalId}#${roleGuid(roleDefinitionId)}`,
          roleDefinitionId,
          principalId,
          principalType: (known && PRINCIPAL_TYPE[known]) ?? (str(p['principalType']) ?? 'Unknown'),
          scope,
          ...(str(p['condition']) ? { condition: str(p['condition'])! } : {}),
          at: `${this.file} ${where}.${inner}`,
        };
        const scopeKey = normScope(scope);
        let list = this.assignments.get(scopeKey);
        if (!list) this.assignments.set(scopeKey, (list = new Map()));
        list.set(a.assignmentId.toLowerCase(), a);
        if (known) this.principal(principalId, known, undefined, this.tenant);
        else this.unknownPrincipals.add(principalId);
      });
    }
  }

  /** The node of an ARM scope, made once per file (records of several kinds add to it). */
  private scopeNode(scope: string): NodeFact {
    const key = normScope(scope);
    let node = this.scopes.get(key);
    if (node) return node;
    const kind = scopeKind(key);
    const sub = subscriptionOf(key);
    if (kind === 'subscription') {
      node = { id: ids.azureSubscription(sub!), kind: 'azure_subscription', name: `subscription ${sub}`, handles: [sub!, key], props: { subscriptionId: sub! }, stub: true };
    } else {
      const last = scope.replace(/\/+$/, '').split('/').pop() ?? scope;
      node = { id: ids.azureResource(key), kind: 'azure_resource', name: last, handles: [scope], props: { scope, scopeKind: kind === 'root' ? 'root' : kind }, stub: true, ...(sub ? { boundary: ids.azureSubscription(sub) } : {}) };
    }
    this.scopes.set(key, node);
    return node;
  }

  // --- wrapping up ---------------------------------------------------------------------------------

  /** The second pass is over: the file's facts. */
  finished(): GraphFragment {
    this.finish();
    return this.fragment;
  }

  private finish(): void {
    // Subscriptions below each management group (descendants are listed per group, possibly nested).
    for (const [child] of this.mgParent) {
      if (scopeKind(child) !== 'subscription') continue;
      for (let p = this.mgParent.get(child), guard = 0; p && guard < 64; p = this.mgParent.get(p), guard++) {
        const set = this.subsUnderMg.get(p) ?? new Set<string>();
        set.add(ids.azureSubscription(subscriptionOf(child)!));
        this.subsUnderMg.set(p, set);
      }
    }
    for (const [scope, list] of this.assignments) {
      const node = this.scopeNode(scope);
      node.props!['roleAssignments'] = [...list.values()] as unknown as Json[];
      const kind = scopeKind(scope);
      if (kind === 'managementGroup' || kind === 'root') node.props!['inheritedBy'] = [...(this.subsUnderMg.get(scope) ?? [])];
    }
    for (const node of this.scopes.values()) {
      if (node.kind === 'azure_subscription') {
        const sub = node.props!['subscriptionId'] as string;
        this.fragment.nodes.push({ id: ids.admin(node.id), kind: 'admin', name: `Owner of Azure subscription ${sub}`, boundary: node.id });
      }
      this.fragment.nodes.push(node);
    }
    // AzureHound lists owners apart from the objects they own: the first owner is the object's recorded owner, as
    // the Graph importer reads it from an embedded owners list.
    const byId = new Map(this.fragment.nodes.map((n) => [n.id, n]));
    for (const e of this.fragment.edges) {
      if (e.kind !== 'OWNS') continue;
      const owned = byId.get(e.to);
      if (!owned || owned.stub || owned.props?.['owner']) continue;
      const owner = this.stubs.get(e.from) ?? byId.get(e.from);
      owned.props = { ...owned.props, owner: owner?.name ?? e.from.replace(/^azure:object:/, '') };
    }
    // A stub adds nothing to a node the file describes.
    const described = new Set(this.fragment.nodes.filter((n) => !n.stub).map((n) => n.id));
    for (const s of this.stubs.values()) if (!described.has(s.id)) this.fragment.nodes.push(s);
    if (this.unknownPrincipals.size) {
      const missing = [...this.unknownPrincipals].filter((p) => !this.kindOf.has(p));
      if (missing.length) this.fragment.warnings.push({ message: `${missing.length} role assignment principal(s) are not described in this file (no AZUser, AZGroup or AZServicePrincipal record): their assignments apply once a file that describes them is imported` });
    }
    if (this.unknownKinds.size) this.fragment.warnings.push({ message: `unsupported AzureHound kinds skipped: ${[...this.unknownKinds].map(([k, n]) => `${k} (${n})`).join(', ')}` });
    if (this.skippedKinds.size) this.fragment.warnings.push({ message: `AzureHound kinds not modelled (no bearing on non-human identities) skipped: ${[...this.skippedKinds].map(([k, n]) => `${k} (${n})`).join(', ')}` });
  }

  private tenantNodes(tenant: string, full: boolean, d?: Record<string, unknown>, at?: string): void {
    const id = ids.azureTenant(tenant);
    const name = (d && (str(d['displayName']) ?? str(d['defaultDomain']))) ?? `Entra tenant ${tenant}`;
    const fact: NodeFact = { id, kind: 'azure_tenant', name, handles: unique([tenant, d ? str(d['defaultDomain']) : undefined, ...(d ? strings(d['domains']) : [])]), props: clean({ tenantId: tenant, defaultDomain: d ? str(d['defaultDomain']) : undefined, at }), ...(full ? {} : { stub: true }) };
    this.fragment.nodes.push(fact);
    if (!full) this.fragment.nodes.push({ id: ids.admin(id), kind: 'admin', name: `Global administrator of tenant ${tenant}`, boundary: id });
  }

  private inTenant(tenant: string | undefined): { boundary?: string } {
    return tenant ? { boundary: ids.azureTenant(tenant) } : {};
  }

  private stub(id: string, make: () => NodeFact): void {
    if (!this.stubs.has(id)) this.stubs.set(id, make());
  }

  private requireId(d: Record<string, unknown>, kind: string, at: string): string {
    const id = lower(str(d['id']));
    if (!id) throw new ImportError(this.file, `an ${kind} record needs its object "id"`, `${at}.data.id`);
    return id;
  }
}

/** An ARM scope as a map key: lower-case, no trailing slash ('/' for the root). */
function normScope(scope: string): string {
  return scope.replace(/\/+$/, '').toLowerCase() || '/';
}

function clean(o: Record<string, Json | undefined>): JsonObject {
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined && !(Array.isArray(v) && v.length === 0)) out[k] = v;
  return out;
}

function arr(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

function lower(v: string | undefined): string | undefined {
  return v?.toLowerCase();
}
