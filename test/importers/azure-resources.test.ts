import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openEngine } from '../../src/api/engine.js';
import { azureResources } from '../../src/importers/azure-resources.js';
import { createInput } from '../../src/importers/input.js';
import { detectImporter } from '../../src/importers/registry.js';
import type { EdgeKind } from '../../src/model/kinds.js';
import { FIXTURES, parseAll, tempCase, tempDir } from '../helpers.js';

// An ARM listing of key vaults (GET …/providers/Microsoft.KeyVault/vaults, as az keyvault show/list print it), in
// the shape public CTF write-ups saved it: systemData, nextLink, one vault in RBAC mode that still lists a policy.
const FILE = join(FIXTURES, 'azure', 'arm-rest-keyvaults-list-scenario.json');
const SUB = '/subscriptions/0b8e3c2a-5d41-4f6e-9a27-13c4d5e6f708';
const CERTS = `azure:resource:${SUB}/resourcegroups/rg-certs/providers/microsoft.keyvault/vaults/ssh-certs-kv`;
const FLAGS = `azure:resource:${SUB}/resourcegroups/rg-app/providers/microsoft.keyvault/vaults/flags-kv`;
const ADMIN = 'azure:object:3f2e1d0c-9b8a-4765-8432-10fedcba9876';
const READER = 'azure:object:a1b2c3d4-0000-4000-8000-00000000fa11';

async function importCase(paths: string[]) {
  const engine = openEngine(tempCase(), { create: true });
  const result = await engine.importWithHooks({ files: paths.map((path) => ({ path })) }, { now: new Date('2026-01-01T00:00:00Z') });
  const edges = (kind: EdgeKind) => [...engine.store.edgesOfKind(kind)];
  return { engine, result, edges };
}

/** az ad sp list naming the two principals of the policies. */
function principals(): string {
  const path = join(tempDir(), 'sps.json');
  writeFileSync(path, JSON.stringify([
    { id: '3f2e1d0c-9b8a-4765-8432-10fedcba9876', appId: '11111111-2222-4333-8444-555555555555', displayName: 'cert-rotator', servicePrincipalType: 'Application' },
    { id: 'a1b2c3d4-0000-4000-8000-00000000fa11', appId: '66666666-7777-4888-8999-000000000000', displayName: 'ssh-signer', servicePrincipalType: 'Application' },
  ]));
  return path;
}

describe('Azure resources: key vaults (az keyvault show/list) and user-assigned identities (az identity list), ARM', () => {
  it('is detected from the vault resource type', () => {
    expect(detectImporter(createInput('vaults.json', readFileSync(FILE))).format).toBe('azure-resources');
  });

  it('reads each vault with its access policies, object ids lower-cased, on the node AzureHound gives the vault', async () => {
    const f = await parseAll(azureResources, createInput('vaults.json', readFileSync(FILE)));
    expect(f.nodes.map((n) => n.id)).toEqual([CERTS, FLAGS]);
    const certs = f.nodes[0]!;
    expect(certs).toMatchObject({ kind: 'azure_resource', name: 'ssh-certs-kv (KeyVault)', boundary: 'azure:subscription:0b8e3c2a-5d41-4f6e-9a27-13c4d5e6f708' });
    expect(certs.props).toMatchObject({ resourceType: 'microsoft.keyvault/vaults', scopeKind: 'resource', vaultUri: 'https://ssh-certs-kv.vault.azure.net/', tenantId: '7d1c2b3a-4e5f-4a6b-8c7d-9e0f1a2b3c4d' });
    expect(certs.props!['accessPolicies']).toEqual([
      expect.objectContaining({ objectId: ADMIN.slice(13), permissions: { keys: ['all'], secrets: ['all'], certificates: ['all'], storage: ['all'] }, at: 'vaults.json $.value[0].properties.accessPolicies[0]' }),
      expect.objectContaining({ objectId: READER.slice(13), permissions: { keys: [], secrets: ['get'], certificates: [], storage: [] } }),
    ]);
    expect(f.nodes[1]!.props).toMatchObject({ enableRbacAuthorization: true });
    expect(f.edges).toEqual([]);
  });

  it('gives each described principal the access its policy allows; a vault in RBAC mode ignores its policies', async () => {
    const c = await importCase([FILE, principals()]);
    const access = c.edges('CAN_ACCESS').map((e) => [e.src, e.dst, e.props['accessLevel']]).sort();
    expect(access).toEqual([
      [ADMIN, CERTS, 'Write'],
      [READER, CERTS, 'Read'],
    ].sort());
    c.engine.close();
    // Without a file that describes the principals, nothing is drawn (no identity is invented).
    const alone = await importCase([FILE]);
    expect(alone.edges('CAN_ACCESS')).toEqual([]);
    alone.engine.close();
  });

  it('az keyvault list (no properties) gives the vaults and claims no policy; other resource types are skipped', async () => {
    const f = await parseAll(azureResources, createInput('list.json', Buffer.from(JSON.stringify([
      { id: `${SUB}/resourceGroups/rg-app/providers/Microsoft.KeyVault/vaults/flags-kv`, name: 'flags-kv', type: 'Microsoft.KeyVault/vaults', location: 'northeurope', resourceGroup: 'rg-app', tags: {} },
      { id: `${SUB}/resourceGroups/rg-app/providers/Microsoft.Storage/storageAccounts/flagsst`, name: 'flagsst', type: 'Microsoft.Storage/storageAccounts' },
    ]))));
    expect(f.nodes.map((n) => n.id)).toEqual([FLAGS]);
    expect(f.nodes[0]!.props).not.toHaveProperty('accessPolicies');
    expect(f.warnings.map((w) => w.message)).toEqual(['1 resource(s) that are neither managed identities nor key vaults skipped']);
  });

  it('reads a user-assigned identity (az identity create/show, ARM REST body) and aliases its client and resource ids', async () => {
    const path = join(FIXTURES, 'azure', 'arm-rest-useridentity-create-azcli.json');
    expect(detectImporter(createInput('id.json', readFileSync(path))).format).toBe('azure-resources');
    const f = await parseAll(azureResources, createInput('id.json', readFileSync(path)));
    const mi = 'azure:object:c020b3ee-b310-4a47-a851-b39913c590ec';
    expect(f.nodes).toEqual([expect.objectContaining({ id: mi, kind: 'azure_managed_identity', name: 'ide', props: expect.objectContaining({ appId: '5a18d8a1-3e3a-4fac-b332-d95ed68cf31b', tenantId: '54826b22-38d6-4fb2-bad9-b7b93a3e9c5a' }) })]);
    expect(f.aliases).toEqual([
      { from: 'azure:resource:/subscriptions/00000000-0000-0000-0000-000000000000/resourcegroups/cli_test_federated_identity_credential_000001/providers/microsoft.managedidentity/userassignedidentities/ide', to: mi },
      { from: 'azure:appid:5a18d8a1-3e3a-4fac-b332-d95ed68cf31b', to: mi },
    ]);
    // az identity list flattens the properties.
    const flat = await parseAll(azureResources, createInput('ids.json', Buffer.from(JSON.stringify([{ clientId: 'C1', id: `${SUB}/resourcegroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-a`, location: 'westeurope', name: 'id-a', principalId: 'P1', resourceGroup: 'rg', tags: {}, tenantId: 'T1', type: 'Microsoft.ManagedIdentity/userAssignedIdentities' }]))));
    expect(flat.nodes[0]).toMatchObject({ id: 'azure:object:p1', props: { appId: 'c1', tenantId: 't1' } });
    await expect(parseAll(azureResources, createInput('ids.json', Buffer.from(JSON.stringify([{ id: `${SUB}/resourcegroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-a`, type: 'Microsoft.ManagedIdentity/userAssignedIdentities', properties: { clientId: 'c' } }]))))).rejects.toThrow(/ids\.json \(\$\[0\]\.properties\.principalId\)/);
  });

  it('names the place of bad input', async () => {
    const bad = (v: unknown) => parseAll(azureResources, createInput('kv.json', Buffer.from(JSON.stringify(v))));
    await expect(bad({ value: [{ name: 'x', type: 'Microsoft.KeyVault/vaults' }] })).rejects.toThrow(/kv\.json \(\$\.value\[0\]\.id\)/);
    await expect(bad({ id: `${SUB}/resourceGroups/r/providers/Microsoft.KeyVault/vaults/v`, type: 'Microsoft.KeyVault/vaults', properties: { accessPolicies: [{ permissions: { secrets: ['get'] } }] } })).rejects.toThrow(/kv\.json \(\$\.properties\.accessPolicies\[0\]\.objectId\)/);
    await expect(bad({ id: `${SUB}/resourceGroups/r/providers/Microsoft.KeyVault/vaults/v`, type: 'Microsoft.KeyVault/vaults', properties: { accessPolicies: {} } })).rejects.toThrow(/accessPolicies/);
  });
});
