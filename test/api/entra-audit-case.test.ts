// End to end: an Entra export (a service principal with its client secrets, as az ad sp list prints them) and an
// Entra audit log where another service principal adds a secret to it: the initiator's observed takeover and the new
// key are in the case, and the initiator's blast radius reaches that principal and nothing it did not take over.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openEngine } from '../../src/api/engine.js';
import { FIXTURES, tempCase, tempDir } from '../helpers.js';

const VICTIM = 'azure:object:66e30abb-1162-47a4-97e7-007bf57bb3ac';
const ATTACKER = 'azure:object:c0ffee00-1111-4222-8333-444455556666';
const OTHER_APP = 'azure:object:f0f0f0f0-1a1a-4b2b-8c3c-4d4d4d4d4d4d';
const NEW_KEY = 'azure:credential:e7a1c3d5-2b4f-4a6c-9e8d-0f1a2b3c4d5e';
const EXISTING = ['76952f9f-06c4-4ba0-a164-ffbc138dc8ba', '6449cb68-995e-4a16-8e14-13009429ef35'];

describe('a service principal adds a secret to another application\'s service principal', () => {
  const engine = openEngine(tempCase(), { create: true });
  afterAll(() => engine.close());

  it('draws the takeover and the new key, and the blast radius of the initiator reaches that principal only', async () => {
    await engine.importFiles({ files: [{ path: join(FIXTURES, 'azure', 'graph-serviceprincipals-list-with-passwordcredentials-azcli.json') }] });
    const kd = (keys: string[]) => JSON.stringify(keys.map((k) => `[KeyIdentifier=${k},KeyType=Password,KeyUsage=Verify,DisplayName=]`));
    const by = { app: { appId: null, displayName: 'ci-deployer', servicePrincipalId: ATTACKER.slice(13), servicePrincipalName: null } };
    const audit = (id: string, activity: string, targets: unknown[]) => ({ id, category: 'ApplicationManagement', result: 'success', activityDisplayName: activity, activityDateTime: '2024-03-04T10:15:02.5168093Z', loggedByService: 'Core Directory', initiatedBy: by, targetResources: targets });
    const dir = tempDir();
    const log = join(dir, 'directoryAudits.json');
    writeFileSync(log, JSON.stringify({
      '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#auditLogs/directoryAudits',
      value: [
        audit('a', 'Add service principal credentials', [{ id: VICTIM.slice(13), displayName: 'azure-cli-test000001', type: 'ServicePrincipal', modifiedProperties: [{ displayName: 'KeyDescription', oldValue: kd(EXISTING), newValue: kd([...EXISTING, NEW_KEY.slice(17)]) }] }]),
        // Someone else made owner of another application: the initiator got nothing from it.
        audit('b', 'Add owner to application', [{ id: 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee', type: 'User', modifiedProperties: [{ displayName: 'Application.ObjectID', newValue: `"${OTHER_APP.slice(13)}"` }] }, { id: OTHER_APP.slice(13), type: 'Application', modifiedProperties: [] }]),
      ],
    }));
    const result = await engine.importFiles({ files: [{ path: log }] });
    expect(result.sources.map((s) => s.format)).toEqual(['entra-audit-log']);

    const attacker = await engine.node({ id: ATTACKER });
    expect(attacker.out.filter((o) => o.edge.kind === 'OBSERVED_USE').map((o) => o.other.id)).toEqual([VICTIM]);
    const key = await engine.node({ id: NEW_KEY });
    expect(key.node.kind).toBe('azure_client_secret');
    expect(key.out.filter((o) => o.edge.kind === 'AUTHENTICATES_AS').map((o) => o.other.id)).toEqual([VICTIM]);
    // The export's own secrets are the same nodes as before: the log added one key, it did not restate them.
    const victim = await engine.node({ id: VICTIM });
    expect(victim.in.filter((o) => o.edge.kind === 'AUTHENTICATES_AS').map((o) => o.other.id).sort()).toEqual([NEW_KEY, ...EXISTING.map((k) => `azure:credential:${k}`)].sort());

    const br = await engine.blastRadius({ from: ATTACKER });
    const reached = new Set([...br.identities, ...br.resources, ...br.admins].map((r) => r.node.id));
    expect([...reached]).toEqual([VICTIM]);
    expect(reached.has(OTHER_APP)).toBe(false);
    for (const k of [NEW_KEY, ...EXISTING.map((x) => `azure:credential:${x}`)]) expect(reached.has(k)).toBe(false);
    expect(JSON.stringify(br)).not.toContain(OTHER_APP);
  });
});

describe('a federated credential written on a user-assigned identity the case holds', () => {
  const engine = openEngine(tempCase(), { create: true });
  afterAll(() => engine.close());

  it('the caller reaches the identity\'s service principal (AzureHound export), not only the ARM child resource', async () => {
    await engine.importFiles({ files: [{ path: join(FIXTURES, 'azurehound', 'azurehound-contoso.json') }] });
    const caller = 'c0ffee00-1111-4222-8333-444455556666';
    const rid = '/SUBSCRIPTIONS/4F1A6B2E-0C8D-4E27-9B5A-3D2C1E0F9A87/RESOURCEGROUPS/RG-BUILD/PROVIDERS/MICROSOFT.MANAGEDIDENTITY/USERASSIGNEDIDENTITIES/PAYROLL-ID/FEDERATEDIDENTITYCREDENTIALS/GH-MAIN';
    const dir = tempDir();
    const log = join(dir, 'PT1H.json');
    // The diagnostic export's shape: upper-cased resource id and operation name.
    const line = { time: '2026-11-20T10:00:00.1234567Z', resourceId: rid, operationName: 'MICROSOFT.MANAGEDIDENTITY/USERASSIGNEDIDENTITIES/FEDERATEDIDENTITYCREDENTIALS/WRITE', category: 'Administrative', resultType: 'Success', callerIpAddress: '203.0.113.7', correlationId: 'c1', identity: { authorization: { scope: rid, action: 'Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials/write' }, claims: { idtyp: 'app', 'http://schemas.microsoft.com/identity/claims/objectidentifier': caller } } };
    writeFileSync(log, `${JSON.stringify(line)}\n${JSON.stringify({ ...line, correlationId: 'c2' })}\n`);
    const result = await engine.importFiles({ files: [{ path: log }] });
    expect(result.sources.map((s) => s.format)).toEqual(['azure-activity-log']);
    expect(result.sources[0]!.warnings).toEqual([]);
    const node = await engine.node({ id: `azure:object:${caller}` });
    expect(node.out.filter((o) => o.edge.kind === 'OBSERVED_USE').map((o) => [o.other.id, o.other.kind])).toEqual([['azure:object:0000001f-1111-4222-8333-00000000001f', 'azure_managed_identity']]);
  });
});

describe('a service principal adds itself to Global Administrator', () => {
  const engine = openEngine(tempCase(), { create: true });
  afterAll(() => engine.close());

  it('holds what the role gives from then: its blast radius reaches the tenant admin, and the step says the log shows it', async () => {
    // The diagnostic export's ci-deployer adds itself to Global Administrator (Role.TemplateId 62e90394-…) in tenant 9b2f4c1d-….
    await engine.importFiles({ files: [{ path: join(FIXTURES, 'azure-activity', 'entra-audit-diagnostic-export.json') }] });
    const admin = 'admin:azure:tenant:9b2f4c1d-7e3a-4d5b-8c6f-1a2b3c4d5e6f';
    const br = await engine.blastRadius({ from: ATTACKER });
    expect(br.admins.map((r) => r.node.id)).toContain(admin);
    const [path] = await engine.paths({ from: ATTACKER, to: admin, k: 1 });
    expect(path!.steps.map((s) => s.edge.kind)).toEqual(['ADMIN_OF']);
    expect(path!.steps[0]!.edge.props.evidence!.map((e) => e.summary)).toEqual([expect.stringMatching(/^ci-deployer added itself to the directory role Global Administrator on 2024-03-04T12:00:00(\.000)?Z, as an audit log shows/)]);
  });
});

describe('a service principal makes itself owner of a role-holding group, another writes a federated credential', () => {
  const engine = openEngine(tempCase(), { create: true });
  afterAll(() => engine.close());

  it('the owner reaches what the group holds (Privileged Role Administrator: the tenant admin); the writer reaches the application and through it the admin', async () => {
    // AzureHound's contoso: TIER0-OPS (0000000a-…) holds Privileged Role Administrator; gh-deploy (…1a) and payroll-sync
    // (…15) reach no admin; the deployer application's service principal is admin of the tenant.
    await engine.importFiles({ files: [{ path: join(FIXTURES, 'azurehound', 'azurehound-contoso.json') }] });
    const tenant = '6c12b0b0-b2cc-4a73-8252-0b94bfca2145';
    const admin = `admin:azure:tenant:${tenant}`;
    const bot = 'azure:object:0000001a-1111-4222-8333-00000000001a';
    const runner = 'azure:object:00000015-1111-4222-8333-000000000015';
    const group = 'azure:object:0000000a-1111-4222-8333-00000000000a';
    const app = (await engine.search({ text: 'deployer' })).map((h) => h.node).find((n) => n.kind === 'azure_application');
    expect(app, 'the export holds the deployer application').toBeDefined();
    for (const from of [bot, runner]) expect((await engine.blastRadius({ from })).admins.map((r) => r.node.id)).not.toContain(admin);

    const by = (id: string) => ({ app: { appId: null, displayName: id, servicePrincipalId: id.slice(13) } });
    const fic = (issuer: string) => ({ name: 'gh', issuer, subject: 'repo:evil/x:ref:refs/heads/main', audiences: ['api://AzureADTokenExchange'] });
    const dir = tempDir();
    const log = join(dir, 'AuditLogs.json');
    const line = (props: Record<string, unknown>) => JSON.stringify({ time: '2026-11-20T10:00:00.1234567Z', category: 'AuditLogs', operationName: props['activityDisplayName'], tenantId: tenant, properties: { result: 'success', activityDateTime: '2026-11-20T10:00:00.1234567Z', ...props } });
    writeFileSync(log, [
      // The owner is named by its target; the group only by the owner's Group.ObjectID property, as Entra often logs it.
      line({ id: 'o1', activityDisplayName: 'Add owner to group', initiatedBy: by(bot), targetResources: [{ id: bot.slice(13), type: 'ServicePrincipal', modifiedProperties: [{ displayName: 'Group.ObjectID', oldValue: null, newValue: `"${group.slice(13)}"` }, { displayName: 'Group.DisplayName', oldValue: null, newValue: '"TIER0-OPS"' }] }] }),
      line({ id: 'f1', activityDisplayName: 'Update application', initiatedBy: by(runner), targetResources: [{ id: app!.id.slice(13), type: 'Application', displayName: 'deployer', modifiedProperties: [{ displayName: 'FederatedIdentityCredentials', oldValue: '[]', newValue: JSON.stringify([fic('https://evil.example')]) }] }] }),
    ].join('\n'));
    const result = await engine.importFiles({ files: [{ path: log }] });
    expect(result.sources.map((s) => [s.format, s.warnings])).toEqual([['entra-audit-log', []]]);

    const after = await engine.blastRadius({ from: bot });
    expect(after.admins.map((r) => r.node.id)).toContain(admin);
    const [path] = await engine.paths({ from: bot, to: admin, k: 1 });
    expect(path!.steps[0]!.edge.kind).toBe('OBSERVED_USE');
    expect(path!.steps[0]!.to.id).toBe(group);
    expect(path!.steps[0]!.edge.props.reason).toMatch(/owner of this group/);

    const writer = await engine.node({ id: runner });
    expect(writer.out.filter((o) => o.edge.kind === 'OBSERVED_USE').map((o) => o.other.id)).toEqual([app!.id]);
    const [takeover] = await engine.paths({ from: runner, to: admin, k: 1 });
    expect(takeover!.steps[0]!.edge.props.reason).toMatch(/federated credential/);
  });
});
