// AzureHound benchmark: a synthetic 50,000-record tenant written as `azurehound list -o` writes it (users, groups and
// memberships, app registrations with their service principals, owners, federated credentials, directory roles and
// assignments, Microsoft Graph app role assignments, subscriptions, resource groups, VMs with managed identities,
// key vaults and role assignments), imported end to end (parse, store, every rule, every finding). Baseline in the
// same run: reading and JSON.parse of the file.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openEngine } from '../../src/api/engine.js';
import { median } from './measure.js';
import type { BenchOptions } from './run.js';

const T = '6c12b0b0-b2cc-4a73-8252-0b94bfca2145';
const guid = (kind: number, i: number) => `${kind.toString(16).padStart(8, '0')}-0000-4000-8000-${i.toString(16).padStart(12, '0')}`.toUpperCase();

export function syntheticTenant(scale: number): { data: object[]; meta: object } {
  const n = (x: number) => Math.max(1, Math.round(x * scale));
  const users = n(20000);
  const groups = n(3000);
  const apps = n(5000);
  const foreign = n(1000);
  const vms = n(1000);
  const subs = 10;
  const rgs = n(200);
  const vaults = n(100);
  const data: object[] = [];
  const push = (kind: string, d: object) => data.push({ kind, data: d });
  push('AZTenant', { id: `/tenants/${T}`, tenantId: T, displayName: 'BENCH', defaultDomain: 'bench.onmicrosoft.com', collected: true });
  for (let i = 0; i < users; i++) push('AZUser', { id: guid(1, i), accountEnabled: true, displayName: `USER ${i}`, userPrincipalName: `user${i}@bench.example`, tenantId: T, tenantName: 'BENCH' });
  for (let i = 0; i < groups; i++) push('AZGroup', { id: guid(2, i), displayName: `GROUP ${i}`, securityEnabled: true, isAssignableToRole: i < 10, tenantId: T, tenantName: 'BENCH' });
  for (let g = 0; g < groups; g++) push('AZGroupMember', { groupId: guid(2, g), members: [0, 1, 2].map((k) => ({ member: { id: guid(1, (g * 7 + k * 13) % users), '@odata.type': '#microsoft.graph.user' }, groupId: guid(2, g) })) });
  for (let i = 0; i < apps; i++) {
    const appId = guid(3, i);
    push('AZApp', { id: guid(4, i), appId, displayName: `APP ${i}`, publisherDomain: 'bench.onmicrosoft.com', signInAudience: 'AzureADMyOrg', passwordCredentials: i % 3 === 0 ? [{ keyId: guid(5, i), displayName: 'ci', endDateTime: '2027-01-01T00:00:00Z', startDateTime: '2025-01-01T00:00:00Z', hint: 'abc' }] : [], tenantId: T, tenantName: 'BENCH' });
    push('AZServicePrincipal', { id: guid(6, i), appId, displayName: `APP ${i}`, servicePrincipalType: 'Application', appOwnerOrganizationId: T, accountEnabled: true, tenantId: T, tenantName: 'BENCH' });
    push('AZAppOwner', { appId, owners: [{ owner: { id: guid(1, (i * 11) % users), '@odata.type': '#microsoft.graph.user' }, appId: guid(4, i) }] });
    if (i % 5 === 0) push('AZFederatedIdentityCredential', { appId, tenantId: T, fics: [{ fic: { id: guid(7, i), name: 'gh', issuer: 'https://token.actions.githubusercontent.com', subject: `repo:bench/app-${i}:ref:refs/heads/main`, audiences: ['api://AzureADTokenExchange'] }, appId }] });
  }
  for (let i = 0; i < foreign; i++) push('AZServicePrincipal', { id: guid(8, i), appId: guid(9, i), displayName: `PARTNER ${i}`, servicePrincipalType: 'Application', appOwnerOrganizationId: '3d0e5c2a-7b41-4f8e-9a6d-2b5c8e1f4a90', tenantId: T, tenantName: 'BENCH' });
  push('AZServicePrincipal', { id: guid(10, 0), appId: '00000003-0000-0000-c000-000000000000', displayName: 'Microsoft Graph', servicePrincipalType: 'Application', appOwnerOrganizationId: 'f8cdef31-a31e-4b4a-93e4-5f571e91255a', tenantId: T, tenantName: 'BENCH' });
  for (let i = 0; i < vms; i++) push('AZServicePrincipal', { id: guid(11, i), appId: guid(12, i), displayName: `VM-${i}`, servicePrincipalType: 'ManagedIdentity', tenantId: T, tenantName: 'BENCH' });
  const roles: [string, number][] = [['62e90394-69f5-4237-9190-012177145e10', 3], ['e8611ab8-c189-46e8-94e1-60213ab1f814', 2], ['9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3', 4], ['158c047a-c907-4556-b7ef-446551a6b5f7', 3], ['88d8e3e3-8f55-4a1e-953a-9b9898b8876b', 200]];
  for (const [id, holders] of roles) {
    push('AZRole', { id, templateId: id, displayName: id, isBuiltIn: true, tenantId: T, tenantName: 'BENCH' });
    push('AZRoleAssignment', { roleDefinitionId: id, tenantId: T, roleAssignments: Array.from({ length: n(holders) }, (_, k) => ({ id: `ra-${id}-${k}`, roleDefinitionId: id, principalId: k % 2 ? guid(1, k * 17) : guid(6, k * 19), directoryScopeId: '/' })) });
  }
  const graphRoles = ['9e3f62cf-ca93-4989-b6ce-bf83c28f9fe8', '1bfefb4e-e0b5-418b-a88f-73c46d2cc8e9', 'df021288-bdef-4463-88db-98f22de89214'];
  for (let i = 0; i < n(300); i++) {
    const role = i < 2 ? graphRoles[0]! : i < 5 ? graphRoles[1]! : graphRoles[2]!;
    push('AZAppRoleAssignment', { appRoleId: role, principalId: guid(6, (i * 13) % apps), principalType: 'ServicePrincipal', resourceId: guid(10, 0), resourceDisplayName: 'Microsoft Graph', appId: '00000003-0000-0000-c000-000000000000', tenantId: T, id: `ara-${i}` });
  }
  for (let s = 0; s < subs; s++) push('AZSubscription', { id: `/subscriptions/${guid(13, s)}`, subscriptionId: guid(13, s), displayName: `SUB-${s}`, state: 'Enabled', tenantId: T });
  const rgId = (r: number) => `/subscriptions/${guid(13, r % subs)}/resourceGroups/RG-${r}`;
  for (let r = 0; r < rgs; r++) {
    push('AZResourceGroup', { id: rgId(r), name: `RG-${r}`, location: 'westeurope', subscriptionId: guid(13, r % subs), tenantId: T });
    push('AZResourceGroupContributor', { resourceGroupId: rgId(r), contributors: [{ contributor: { id: `${rgId(r)}/providers/Microsoft.Authorization/roleAssignments/${guid(14, r)}`, name: guid(14, r), type: 'Microsoft.Authorization/roleAssignments', properties: { principalId: guid(6, (r * 23) % apps), roleDefinitionId: `/subscriptions/${guid(13, r % subs)}/providers/Microsoft.Authorization/roleDefinitions/b24988ac-6180-42a0-ab88-20f7382dd24c`, scope: rgId(r) } }, resourceGroupId: rgId(r) }] });
  }
  for (let s = 0; s < subs; s++) push('AZSubscriptionOwner', { subscriptionId: guid(13, s), owners: [{ owner: { id: `/subscriptions/${guid(13, s)}/providers/Microsoft.Authorization/roleAssignments/${guid(15, s)}`, name: guid(15, s), type: 'Microsoft.Authorization/roleAssignments', properties: { principalId: guid(11, s), roleDefinitionId: `/subscriptions/${guid(13, s)}/providers/Microsoft.Authorization/roleDefinitions/8e3af657-a8ff-443c-a75c-2fe8c4bcb635`, scope: `/subscriptions/${guid(13, s)}` } }, subscriptionId: guid(13, s) }] });
  for (let i = 0; i < vms; i++) push('AZVM', { id: `${rgId(i % rgs)}/providers/Microsoft.Compute/virtualMachines/VM-${i}`, name: `VM-${i}`, location: 'westeurope', identity: { principalId: guid(11, i), tenantId: T, type: 'SystemAssigned' }, subscriptionId: guid(13, (i % rgs) % subs), resourceGroupId: rgId(i % rgs), tenantId: T });
  for (let v = 0; v < vaults; v++) {
    const id = `${rgId(v % rgs)}/providers/Microsoft.KeyVault/vaults/KV-${v}`;
    push('AZKeyVault', { id, name: `KV-${v}`, location: 'westeurope', properties: { enableRbacAuthorization: false, tenantId: T, vaultUri: `https://kv-${v}.vault.azure.net/`, accessPolicies: [0, 1, 2].map((k) => ({ objectId: guid(6, (v * 31 + k) % apps), tenantId: T, permissions: { secrets: ['Get', 'List'], keys: k === 0 ? ['Get', 'Sign'] : [] } })) }, subscriptionId: guid(13, v % subs), resourceGroup: `RG-${v % rgs}`, tenantId: T });
  }
  return { data, meta: { type: 'azure', version: 5, count: data.length } };
}

export async function bench(opts: BenchOptions): Promise<Record<string, number>> {
  const scale = opts.quick ? 0.1 : 1;
  const doc = syntheticTenant(scale);
  const path = join(opts.dir, 'azurehound-bench.json');
  // The file sink's layout: one record per line inside {"data": [ … ], "meta": …}.
  writeFileSync(path, `{\n\t"data": [\n${doc.data.map((r) => `\t\t${JSON.stringify(r)}`).join(',\n')}\n\t],\n\t"meta": ${JSON.stringify(doc.meta)}\n}\n`);
  const runs = opts.quick ? 1 : 3;
  const raw = await median(runs, () => JSON.parse(readFileSync(path, 'utf8')));
  let counts = { nodes: 0, edges: 0, derivedEdges: 0, findings: 0 };
  const imp = await median(runs, async (i) => {
    const engine = openEngine(join(opts.dir, `azurehound-${i}.blastmap`), { create: true });
    counts = (await engine.importFiles({ files: [{ path }] })).counts;
    engine.close();
  });
  return {
    azurehound_records: doc.data.length,
    azurehound_mb: Math.round(readFileSync(path).length / 1e6),
    azurehound_raw_parse_ms: Math.round(raw.wallMs),
    azurehound_import_derive_ms: Math.round(imp.wallMs),
    azurehound_import_derive_slowest_ms: Math.round(imp.slowestMs),
    azurehound_import_derive_cpu_ms: Math.round(imp.cpuMs),
    azurehound_import_vs_raw_ratio: Number((imp.wallMs / raw.wallMs).toFixed(1)),
    azurehound_nodes: counts.nodes,
    azurehound_edges: counts.edges,
    azurehound_derived_edges: counts.derivedEdges,
    azurehound_findings: counts.findings,
  };
}
