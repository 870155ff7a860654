import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openEngine } from '../../src/api/engine.js';
import { azureGraph } from '../../src/importers/azure-graph.js';
import { createInput } from '../../src/importers/input.js';
import { detectImporter } from '../../src/importers/registry.js';
import type { EdgeKind } from '../../src/model/kinds.js';
import { FIXTURES, parseAll, tempCase, tempDir } from '../helpers.js';

const fx = (name: string) => join(FIXTURES, 'azure', name);
const parseFile = (path: string, now?: Date) => parseAll(azureGraph, createInput(path.split('/').pop()!, readFileSync(path)), {}, now);
const parseText = (name: string, value: unknown, now?: Date) => parseAll(azureGraph, createInput(name, Buffer.from(JSON.stringify(value))), {}, now);

async function importCase(paths: string[], now = new Date('2023-06-01T00:00:00Z')) {
  const engine = openEngine(tempCase(), { create: true });
  await engine.importWithHooks({ files: paths.map((path) => ({ path })) }, { now });
  const edges = (kind: EdgeKind) => [...engine.store.edgesOfKind(kind)];
  const has = (kind: EdgeKind, from: string, to: string) => edges(kind).find((e) => e.src === from && e.dst === to);
  return { engine, edges, has, node: (id: string) => engine.store.node(id) };
}

const SP = 'azure:object:66e30abb-1162-47a4-97e7-007bf57bb3ac';
const APP = 'azure:object:c9285c2c-9f67-49cd-b775-87fa218505c9';

describe('Entra apps and service principals', () => {
  it('detects Microsoft Graph and legacy AAD Graph exports from their content', () => {
    for (const name of ['graph-applications-list-azcli.json', 'graph-serviceprincipals-list-with-passwordcredentials-azcli.json', 'aadgraph-legacy-application-with-keycredentials-azcli.json']) {
      expect(detectImporter(createInput('x.json', readFileSync(fx(name)))).format, name).toBe('azure-entra-apps');
    }
  });

  it('reads the service principal with two client secrets, one expired on the import date', async () => {
    const f = await parseFile(fx('graph-serviceprincipals-list-with-passwordcredentials-azcli.json'), new Date('2023-06-01T00:00:00Z'));
    const sp = f.nodes.find((n) => n.id === SP)!;
    expect(sp).toMatchObject({ kind: 'azure_service_principal', name: 'azure-cli-test000001' });
    expect(sp.handles).toContain('f2e11c36-a278-47db-bdc1-d7c524bff96f');
    expect(sp.props).toMatchObject({ appId: 'f2e11c36-a278-47db-bdc1-d7c524bff96f', servicePrincipalType: 'Application', appOwnerOrganizationId: '54826b22-38d6-4fb2-bad9-b7b93a3e9c5a' });
    const secrets = f.nodes.filter((n) => n.kind === 'azure_client_secret');
    expect(secrets.map((s) => s.props?.['displayName']).sort()).toEqual(['key1', 'key2']);
    expect(f.nodes.find((n) => n.id === 'azure:credential:76952f9f-06c4-4ba0-a164-ffbc138dc8ba')!.props).toMatchObject({ displayName: 'key2', active: false, expiresAt: '2023-05-07T06:53:41Z', createdAt: '2022-05-07T06:53:41Z', managedBy: 'user' });
    expect(f.nodes.find((n) => n.id === 'azure:credential:6449cb68-995e-4a16-8e14-13009429ef35')!.props).toMatchObject({ displayName: 'key1', active: true, expiresAt: '2024-05-07T06:53:38Z' });
    expect(f.edges.filter((e) => e.kind === 'AUTHENTICATES_AS' && e.to === SP)).toHaveLength(2);
    expect(f.edges.find((e) => e.from === 'azure:credential:76952f9f-06c4-4ba0-a164-ffbc138dc8ba')!.props?.conditional).toMatch(/expired on 2023-05-07/);
  });

  it('links the app registration to its service principal by appId across files', async () => {
    const c = await importCase([fx('graph-applications-list-azcli.json'), fx('graph-serviceprincipals-list-with-passwordcredentials-azcli.json')]);
    expect(c.node(APP)).toMatchObject({ kind: 'azure_application', props: expect.objectContaining({ publisherDomain: 'AzureSDKTeam.onmicrosoft.com', signInAudience: 'AzureADandPersonalMicrosoftAccount' }) });
    const link = c.has('AUTHENTICATES_AS', APP, SP);
    expect(link?.props.reason).toMatch(/f2e11c36-a278-47db-bdc1-d7c524bff96f/);
    // The client id finds both objects.
    const hits = await c.engine.search({ text: 'f2e11c36-a278-47db-bdc1-d7c524bff96f' });
    expect(hits.map((h) => h.node.id).sort()).toEqual([APP, SP].sort());
    // A workload-identity annotation names the client id only: it resolves to the app or the SP (the source
    // imported last says which), and either way reaches the service principal.
    expect([APP, SP]).toContain(c.node('azure:appid:f2e11c36-a278-47db-bdc1-d7c524bff96f')?.id);
    c.engine.close();
  });

  it('links nothing when the appIds differ, and an owner of a non-app object gets no escalation', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'sp.json'), JSON.stringify([{ id: 'aaaaaaaa-0000-0000-0000-00000000000a', appId: 'bbbbbbbb-0000-0000-0000-00000000000b', displayName: 'other', servicePrincipalType: 'Application' }]));
    const c = await importCase([fx('graph-applications-list-azcli.json'), join(dir, 'sp.json')]);
    expect(c.edges('AUTHENTICATES_AS').filter((e) => e.src === APP)).toEqual([]);
    expect(c.edges('CAN_ESCALATE')).toEqual([]);
    c.engine.close();
  });

  it('reads the legacy AAD Graph application with its certificate (hex thumbprint, startDate/endDate)', async () => {
    const f = await parseFile(fx('aadgraph-legacy-application-with-keycredentials-azcli.json'));
    const app = f.nodes.find((n) => n.kind === 'azure_application')!;
    expect(app).toMatchObject({ id: 'azure:object:81806e6d-8e9e-4399-b8be-4961ae224789', name: 'cli_create_rbac_sp_with_cert000001' });
    expect(app.props).toMatchObject({ appId: '7bf4dc12-c906-4dcc-88af-92945447ab3c', signInAudience: 'AzureADMyOrg' });
    const cert = f.nodes.find((n) => n.kind === 'azure_certificate')!;
    expect(cert.id).toBe('azure:credential:88888888-0000-0000-0000-000000000001');
    expect(cert.props).toMatchObject({ thumbprint: 'A602F1EE56114DA74F90A7F0579870FE4B99B8C7', createdAt: '2022-02-16T07:00:18.661011Z', expiresAt: '2023-02-16T07:00:18.661011Z', active: false, type: 'AsymmetricX509Cert', usage: 'Verify' });
    expect(cert.handles).toContain('A602F1EE56114DA74F90A7F0579870FE4B99B8C7');
    // The anonymised all-zero tenant in odata.metadata is not a tenant.
    expect(f.nodes.some((n) => n.kind === 'azure_tenant')).toBe(false);
  });

  it('managed identities, owners and federated credentials; a secret value in the export is never kept', async () => {
    const secret = 'Q~8abcDEFghiJKLmnoPQRstuVWXyz0123456789';
    const apps = {
      '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#applications',
      value: [
        {
          id: '11111111-1111-1111-1111-111111111111',
          appId: '22222222-2222-2222-2222-222222222222',
          displayName: 'deployer',
          signInAudience: 'AzureADMyOrg',
          passwordCredentials: [{ keyId: '33333333-3333-3333-3333-333333333333', displayName: 'ci', startDateTime: '2023-01-01T00:00:00Z', endDateTime: '2299-01-01T00:00:00Z', hint: 'Q~8', secretText: secret }],
          owners: [{ '@odata.type': '#microsoft.graph.user', id: '44444444-4444-4444-4444-444444444444', userPrincipalName: 'dev@contoso.com' }],
          federatedIdentityCredentials: [{ id: '55555555-5555-5555-5555-555555555555', name: 'gh-main', issuer: 'https://token.actions.githubusercontent.com', subject: 'repo:contoso/infra:ref:refs/heads/main', audiences: ['api://AzureADTokenExchange'] }],
        },
      ],
    };
    const sps = [{ id: '66666666-6666-6666-6666-666666666666', appId: '77777777-7777-7777-7777-777777777777', displayName: 'id-batch', servicePrincipalType: 'ManagedIdentity', alternativeNames: ['isExplicit=True', '/subscriptions/s/resourcegroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-batch'] }];
    const f = await parseText('apps.json', apps);
    expect(JSON.stringify(f)).not.toContain(secret.slice(3));
    expect(f.nodes.find((n) => n.id === 'azure:credential:33333333-3333-3333-3333-333333333333')!.props).toMatchObject({ hint: 'Q~8', active: true });
    const subject = 'federated:https://token.actions.githubusercontent.com:repo:contoso/infra:ref:refs/heads/main';
    expect(f.nodes.find((n) => n.id === subject)).toMatchObject({ kind: 'federated_subject', props: { repository: 'contoso/infra', ref: 'refs/heads/main', wildcard: false } });
    expect(f.edges).toContainEqual(expect.objectContaining({ from: subject, to: 'azure:object:11111111-1111-1111-1111-111111111111', kind: 'FEDERATES_TO' }));
    expect(f.edges).toContainEqual(expect.objectContaining({ from: 'azure:object:44444444-4444-4444-4444-444444444444', kind: 'OWNS' }));
    const mi = await parseText('sps.json', sps);
    expect(mi.nodes[0]).toMatchObject({ kind: 'azure_managed_identity', id: 'azure:object:66666666-6666-6666-6666-666666666666' });
    const off = await parseText('sp-off.json', [{ id: 'sp-off', appId: 'app-off', servicePrincipalType: 'Application', accountEnabled: false, passwordCredentials: [{ keyId: 'k-off', endDateTime: '2299-01-01T00:00:00Z' }] }]);
    expect(off.nodes.find((n) => n.kind === 'azure_client_secret')!.props).toMatchObject({ active: false });
    expect(off.edges[0]!.props?.conditional).toMatch(/disabled/);
    expect(mi.aliases).toEqual([
      { from: 'azure:resource:/subscriptions/s/resourcegroups/rg/providers/microsoft.managedidentity/userassignedidentities/id-batch', to: 'azure:object:66666666-6666-6666-6666-666666666666' },
      { from: 'azure:appid:77777777-7777-7777-7777-777777777777', to: 'azure:object:66666666-6666-6666-6666-666666666666' },
    ]);

    const dir = tempDir();
    writeFileSync(join(dir, 'apps.json'), JSON.stringify(apps));
    const c = await importCase([join(dir, 'apps.json')]);
    expect(c.has('CAN_ESCALATE', 'azure:object:44444444-4444-4444-4444-444444444444', 'azure:object:11111111-1111-1111-1111-111111111111')?.props.technique).toMatch(/owner/);
    // OWNS itself is a raw statement, not a step an attacker walks.
    const radius = await c.engine.blastRadius({ from: subject });
    expect(radius.identities.map((r) => r.node.id)).toContain('azure:object:11111111-1111-1111-1111-111111111111');
    c.engine.close();
  });

  it('reads a federated-credential list whose @odata.context names the application', async () => {
    const f = await parseText('fic.json', {
      '@odata.context': "https://graph.microsoft.com/v1.0/$metadata#applications('aaaaaaaa-0000-0000-0000-000000000001')/federatedIdentityCredentials",
      value: [{ id: 'f1', name: 'aks', issuer: 'https://oidc.prod-aks.azure.com/tenant/issuer/', subject: 'system:serviceaccount:payments:api', audiences: ['api://AzureADTokenExchange'] }],
    });
    expect(f.nodes.find((n) => n.kind === 'federated_subject')!.props).toMatchObject({ namespace: 'payments', serviceAccount: 'api' });
    expect(f.edges.find((e) => e.kind === 'FEDERATES_TO')!.to).toBe('azure:object:aaaaaaaa-0000-0000-0000-000000000001');
    await expect(parseText('fic.json', [{ id: 'f1', issuer: 'https://x', subject: 's', audiences: [] }])).rejects.toThrow(/does not say which application/);
  });

  it('reads a federated-credential list whose items name their application in @odata.id (Graph docs example)', async () => {
    const path = join(FIXTURES, 'azure', 'msgraph-docs-v1-application-list-federatedidentitycredentials.json');
    expect(detectImporter(createInput('list.json', readFileSync(path))).format).toBe('azure-entra-apps');
    const f = await parseAll(azureGraph, createInput('list.json', readFileSync(path)));
    const app = 'azure:object:bcd7c908-1c4d-4d48-93ee-ff38349a75c8';
    expect(f.edges.find((e) => e.kind === 'AUTHENTICATES_AS')).toMatchObject({ from: 'azure:credential:bdad0963-4a7a-43ae-b569-e67e1da3f2c0', to: app });
    expect(f.edges.find((e) => e.kind === 'FEDERATES_TO')!.to).toBe(app);
    expect(f.warnings).toEqual([]);
  });

  it('reads app role assignments (Graph docs examples): an application permission and a default access, nothing derived', async () => {
    const granted = fx('msgraph-docs-v1-serviceprincipal-list-approleassignments.json');
    const assignedTo = fx('msgraph-docs-v1-serviceprincipal-list-approleassignedto.json');
    for (const path of [granted, assignedTo]) expect(detectImporter(createInput('x.json', readFileSync(path))).format, path).toBe('azure-entra-apps');
    const client = 'azure:object:8e881353-1735-45af-af21-ee1344582a4d';
    const f = await parseFile(granted);
    expect(f.edges).toEqual([
      expect.objectContaining({ from: client, to: 'azure:object:fea94d6d-b5bf-44d2-a887-4f72a8d74f44', kind: 'HAS_ROLE', props: expect.objectContaining({ appRoleId: 'e2a3a72e-5f79-4c64-b1b1-878b674786c9', assignmentId: 'UxOIjjUXr0WvIe4TRFgqTY4z9Wu5KxpBtlEpoTGjw-A', at: '$.value[0]' }) }),
    ]);
    expect(f.edges[0]!.props?.reason).toMatch(/application permission e2a3a72e.* of Microsoft Graph/);
    expect(f.nodes.map((n) => [n.id, n.kind, n.name, n.stub])).toEqual([
      [client, 'azure_service_principal', 'dxprovisioning-graphapi-client', true],
      ['azure:object:fea94d6d-b5bf-44d2-a887-4f72a8d74f44', 'azure_service_principal', 'Microsoft Graph', true],
    ]);
    const g = await parseFile(assignedTo);
    expect(g.nodes.find((n) => n.id === 'azure:object:cdb555e3-b33e-4fd5-a427-17fadacbdfa7')).toMatchObject({ kind: 'azure_user', name: 'MOD Administrator' });
    expect(g.edges[0]).toMatchObject({ from: 'azure:object:cdb555e3-b33e-4fd5-a427-17fadacbdfa7', to: client, kind: 'HAS_ROLE' });
    expect(g.edges[0]!.props?.reason).toMatch(/default access of dxprovisioning-graphapi-client/);
    // Mail.ReadWrite is no takeover: nothing is derived from either file.
    const c = await importCase([granted, assignedTo]);
    expect(c.edges('ADMIN_OF')).toEqual([]);
    expect(c.edges('CAN_ESCALATE')).toEqual([]);
    c.engine.close();
  });

  it('an application permission on Microsoft Graph listed by Graph is a path to tenant admin once the resource is known', async () => {
    const tenant = '54826b22-38d6-4fb2-bad9-b7b93a3e9c5a';
    const graphSp = 'fea94d6d-b5bf-44d2-a887-4f72a8d74f44';
    const deployer = 'c2bb2dac-7947-4ed7-9dd4-e67876b04aca';
    // Legacy AAD Graph names the tenant; Microsoft Graph's service principal carries its well-known client id.
    const sps = {
      'odata.metadata': `https://graph.windows.net/${tenant}/$metadata#directoryObjects`,
      value: [
        { 'odata.type': 'Microsoft.DirectoryServices.ServicePrincipal', objectType: 'ServicePrincipal', objectId: graphSp, appId: '00000003-0000-0000-c000-000000000000', displayName: 'Microsoft Graph', servicePrincipalType: 'Application' },
        { 'odata.type': 'Microsoft.DirectoryServices.ServicePrincipal', objectType: 'ServicePrincipal', objectId: deployer, appId: '5df3c5a9-f196-43d4-be8c-6282bdf0f908', displayName: 'deployer', servicePrincipalType: 'Application' },
        { 'odata.type': 'Microsoft.DirectoryServices.ServicePrincipal', objectType: 'ServicePrincipal', objectId: 'dddddddd-0000-0000-0000-000000000001', appId: 'dddddddd-0000-0000-0000-0000000000aa', displayName: 'Other API', servicePrincipalType: 'Application' },
      ],
    };
    const grant = (resourceId: string) => ({
      '@odata.context': `https://graph.microsoft.com/v1.0/$metadata#servicePrincipals('${deployer}')/appRoleAssignments`,
      value: [{ id: 'a1', appRoleId: '9e3f62cf-ca93-4989-b6ce-bf83c28f9fe8', principalId: deployer, principalType: 'ServicePrincipal', principalDisplayName: 'deployer', resourceId, resourceDisplayName: 'Microsoft Graph' }],
    });
    const dir = tempDir();
    writeFileSync(join(dir, 'sps.json'), JSON.stringify(sps));
    writeFileSync(join(dir, 'grants.json'), JSON.stringify(grant(graphSp)));
    const c = await importCase([join(dir, 'sps.json'), join(dir, 'grants.json')]);
    const admin = c.edges('ADMIN_OF').filter((e) => e.src === `azure:object:${deployer}`);
    expect(admin).toHaveLength(1);
    expect(admin[0]!.props.technique).toBe('Microsoft Graph: RoleManagement.ReadWrite.Directory');
    c.engine.close();
    // The same role id on another API (display name notwithstanding) gives nothing.
    writeFileSync(join(dir, 'grants.json'), JSON.stringify(grant('dddddddd-0000-0000-0000-000000000001')));
    const d = await importCase([join(dir, 'sps.json'), join(dir, 'grants.json')]);
    expect(d.edges('ADMIN_OF').filter((e) => e.src === `azure:object:${deployer}`)).toEqual([]);
    d.engine.close();
  });

  it('reads app role assignments embedded in a service principal ($expand=appRoleAssignments)', async () => {
    const f = await parseText('sps.json', {
      '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#servicePrincipals(appRoleAssignments())',
      value: [
        {
          id: 'c2bb2dac-7947-4ed7-9dd4-e67876b04aca', appId: '5df3c5a9-f196-43d4-be8c-6282bdf0f908', displayName: 'deployer', servicePrincipalType: 'Application',
          appRoleAssignments: [{ id: 'a1', appRoleId: '1bfefb4e-e0b5-418b-a88f-73c46d2cc8e9', principalId: 'c2bb2dac-7947-4ed7-9dd4-e67876b04aca', principalType: 'ServicePrincipal', resourceId: 'fea94d6d-b5bf-44d2-a887-4f72a8d74f44', resourceDisplayName: 'Microsoft Graph' }],
        },
      ],
    });
    expect(f.edges.filter((e) => e.kind === 'HAS_ROLE')).toEqual([
      expect.objectContaining({ from: 'azure:object:c2bb2dac-7947-4ed7-9dd4-e67876b04aca', to: 'azure:object:fea94d6d-b5bf-44d2-a887-4f72a8d74f44', props: expect.objectContaining({ appRoleName: 'Application.ReadWrite.All', at: '$.value[0].appRoleAssignments[0]' }) }),
    ]);
    // The service principal is the record itself, not a stub beside it.
    expect(f.nodes.filter((n) => n.id === 'azure:object:c2bb2dac-7947-4ed7-9dd4-e67876b04aca').map((n) => n.stub)).toEqual([undefined]);
  });

  it('names the record of an app role assignment without its principal', async () => {
    await expect(parseText('grants.json', { '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#appRoleAssignments', value: [{ id: 'a1', appRoleId: '9e3f62cf-ca93-4989-b6ce-bf83c28f9fe8', principalId: null, resourceId: 'r' }] })).rejects.toThrow(/grants\.json \(\$\.value\[0\]\).*principalId/);
  });

  it("reads a user-assigned identity's federated credentials (az identity federated-credential list, ARM REST) onto the identity", async () => {
    const fics = fx('arm-rest-useridentity-federatedcredentials-list-azcli.json');
    expect(detectImporter(createInput('fics.json', readFileSync(fics))).format).toBe('azure-entra-apps');
    const uai = '/subscriptions/00000000-0000-0000-0000-000000000000/resourcegroups/cli_test_federated_identity_credential_000001/providers/microsoft.managedidentity/userassignedidentities/ide';
    const f = await parseFile(fics);
    expect(f.nodes.find((n) => n.id === `azure:resource:${uai}`)).toMatchObject({ kind: 'azure_managed_identity', name: 'ide', stub: true });
    expect(f.nodes.filter((n) => n.kind === 'azure_federated_credential').map((n) => n.id)).toEqual([`azure:credential:${uai}/federatedidentitycredentials/fic1`, `azure:credential:${uai}/federatedidentitycredentials/fic2`]);
    expect(f.nodes.find((n) => n.id === 'federated:https://oidc.prod-aks.azure.com/IssuerGUID:system:serviceaccount:ns:svcaccount1')!.props).toMatchObject({ namespace: 'ns', serviceAccount: 'svcaccount1' });
    expect(f.edges.filter((e) => e.kind === 'FEDERATES_TO').map((e) => e.to)).toEqual([`azure:resource:${uai}`, `azure:resource:${uai}`]);
    // The identity's own record (az identity show, or its service principal in az ad sp list) makes it one node.
    const mi = 'azure:object:c020b3ee-b310-4a47-a851-b39913c590ec';
    const dir = tempDir();
    writeFileSync(join(dir, 'sps.json'), JSON.stringify([{ id: 'c020b3ee-b310-4a47-a851-b39913c590ec', appId: '5a18d8a1-3e3a-4fac-b332-d95ed68cf31b', displayName: 'ide', servicePrincipalType: 'ManagedIdentity', alternativeNames: ['isExplicit=True', '/subscriptions/00000000-0000-0000-0000-000000000000/resourcegroups/cli_test_federated_identity_credential_000001/providers/Microsoft.ManagedIdentity/userAssignedIdentities/ide'] }]));
    for (const other of [join(dir, 'sps.json'), fx('arm-rest-useridentity-create-azcli.json')]) {
      const c = await importCase([fics, other]);
      const radius = await c.engine.blastRadius({ from: 'federated:https://oidc.prod-aks.azure.com/IssuerGUID:system:serviceaccount:ns:svcaccount2' });
      expect(radius.identities.map((r) => r.node.id), other).toContain(mi);
      c.engine.close();
    }
  });

  it('names the JSON path of a credential without keyId', async () => {
    await expect(parseText('sp.json', { value: [{ id: 'x', appId: 'y', servicePrincipalType: 'Application', passwordCredentials: [{ displayName: 'k' }] }] })).rejects.toThrow(/sp\.json \(\$\.value\[0\]\.passwordCredentials\[0\]\.keyId\)/);
    await expect(parseText('sp.json', [{ displayName: 'not a directory object' }])).rejects.toThrow(/\$\[0\]/);
  });
});
