import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { entraAuditLog } from '../../src/importers/entra-audit-log.js';
import { createInput } from '../../src/importers/input.js';
import { detectImporter } from '../../src/importers/registry.js';
import type { GraphFragment } from '../../src/model/fragment.js';
import { FIXTURES, parseAll } from '../helpers.js';

const AZ = (name: string) => join(FIXTURES, 'azure-activity', name);
const input = (name: string, bytes = readFileSync(AZ(name))) => createInput(name, bytes);
const pairs = (f: GraphFragment) => f.edges.map((e) => `${e.kind} ${e.from} → ${e.to}`).sort();

const TENANT = '9b2f4c1d-7e3a-4d5b-8c6f-1a2b3c4d5e6f';
const CI = 'azure:object:c0ffee00-1111-4222-8333-444455556666';
const VICTIM = 'azure:object:d1d1d1d1-2e2e-4f3f-8a4a-5b5b5b5b5b5b';
const DANA = 'azure:object:0b1e2c3d-4f5a-4b6c-8d7e-9f0a1b2c3d4e';
const APP = 'azure:object:f0f0f0f0-1a1a-4b2b-8c3c-4d4d4d4d4d4d';
const GRAPH = 'azure:object:1f2e3d4c-5b6a-4798-8a9b-0c1d2e3f4a5b';

const record = (o: Record<string, unknown>) => ({
  id: 'Directory_x',
  category: 'ApplicationManagement',
  result: 'success',
  activityDisplayName: 'Add service principal credentials',
  activityDateTime: '2024-03-04T10:15:02.5168093Z',
  initiatedBy: { user: { id: '0b1e2c3d-4f5a-4b6c-8d7e-9f0a1b2c3d4e', userPrincipalName: 'dana@contoso.example', ipAddress: '198.51.100.23' } },
  targetResources: [],
  ...o,
});
const page = (...records: unknown[]) => createInput('audits.json', Buffer.from(JSON.stringify({ '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#auditLogs/directoryAudits', value: records })));

describe('Entra audit log importer', () => {
  it('detects the Graph page, the diagnostic export and the Log Analytics rows, and takes no other Azure log', () => {
    for (const name of ['msgraph-docs-directoryaudit-list.json', 'entra-audit-diagnostic-export.json', 'log-analytics-auditlogs-query.json']) expect(detectImporter(input(name)).format, name).toBe('entra-audit-log');
    for (const name of ['msdocs-activity-log-rest-administrative.json', 'activity-diagnostic-export-PT1H.json', 'entra-signin-diagnostic-export.json', 'graph-beta-signins-workloads.json', 'msgraph-docs-beta-signin-list.json', 'log-analytics-azureactivity-query.json', 'log-analytics-aadserviceprincipalsigninlogs-query.json']) {
      expect(detectImporter(input(name)).format, name).not.toBe('entra-audit-log');
    }
  });

  it('reads the Graph docs sample: a user added someone else to a group is counted, not drawn', async () => {
    const f = await parseAll(entraAuditLog, input('msgraph-docs-directoryaudit-list.json'));
    expect(f.edges).toEqual([]);
    expect(f.warnings).toEqual([{ message: '1 record(s) skipped: a group member added who is not the initiator: the initiator got nothing', location: '$.value[0]' }]);
  });

  it('reads the diagnostic export: the app that added a secret reaches the service principal, the new key signs in as it; nothing else is drawn', async () => {
    const f = await parseAll(entraAuditLog, input('entra-audit-diagnostic-export.json'));
    const key = 'azure:credential:e7a1c3d5-2b4f-4a6c-9e8d-0f1a2b3c4d5e';
    expect(pairs(f)).toEqual([
      `AUTHENTICATES_AS ${key} → ${VICTIM}`,
      `OBSERVED_USE ${DANA} → ${APP}`,
      `OBSERVED_USE ${CI} → azure:dirrole:${TENANT}:62e90394-69f5-4237-9190-012177145e10`,
      `OBSERVED_USE ${CI} → ${VICTIM}`,
    ]);
    const use = f.edges.find((e) => e.from === CI && e.to === VICTIM)!;
    expect(use.props).toMatchObject({ actions: ['Add service principal credentials'], count: 1, firstSeen: '2024-03-04T10:15:02.516Z' });
    // The key already there before (7dff…) is not new; the key of the failed attempt was never added.
    expect(f.nodes.filter((n) => n.id.startsWith('azure:credential:')).map((n) => [n.id, n.kind])).toEqual([[key, 'azure_client_secret']]);
    expect(f.nodes.find((n) => n.id === CI)).toMatchObject({ kind: 'azure_service_principal', name: 'ci-deployer', boundary: `azure:tenant:${TENANT}` });
    expect(f.warnings.map((w) => [w.message, w.location])).toEqual([
      ['1 record(s) skipped: the operation did not succeed (result "failure"): nothing changed', 'line 2'],
      ['1 record(s) skipped: an owner added who is not the initiator: the initiator got nothing', 'line 3'],
      ['1 record(s) skipped: not valid JSON', 'line 6'],
    ]);
    // Only key ids are read: no display name of a key reaches the case.
    expect(JSON.stringify(f)).not.toContain('backdoor');
  });

  it('reads Log Analytics rows with their dynamic columns as JSON text: an app role the app gave itself, a certificate added to an application by a user', async () => {
    const f = await parseAll(entraAuditLog, input('log-analytics-auditlogs-query.json'));
    expect(pairs(f)).toEqual([
      `AUTHENTICATES_AS azure:credential:3c3c3c3c-4d4d-4e5e-8f6f-7a7a7a7a7a7a → ${APP}`,
      `OBSERVED_USE ${DANA} → ${APP}`,
      `OBSERVED_USE ${CI} → ${GRAPH}`,
    ]);
    expect(f.edges.find((e) => e.to === GRAPH)!.props!['actions']).toEqual(['Add app role assignment to service principal (RoleManagement.ReadWrite.Directory)']);
    expect(f.nodes.find((n) => n.id === 'azure:credential:3c3c3c3c-4d4d-4e5e-8f6f-7a7a7a7a7a7a')).toMatchObject({ kind: 'azure_certificate', props: { ownerId: APP } });
    expect(f.nodes.find((n) => n.id === APP)).toMatchObject({ kind: 'azure_application' });
    expect(f.warnings).toEqual([]);
  });

  it('grants to others are counted; a removed key, the platform\'s rotation of a managed identity certificate and an unnamed initiator are not takeovers', async () => {
    const kd = (...keys: string[]) => JSON.stringify(keys.map((k) => `[KeyIdentifier=${k},KeyType=AsymmetricX509Cert,KeyUsage=Verify,DisplayName=CN=x]`));
    const k1 = '7dffcdc5-f2d5-43ae-86f1-682561befd4b';
    const k2 = 'c9c0b961-a80a-4a71-9c3a-b67b33edf874';
    const sp = (mods: unknown[]) => [{ id: VICTIM.slice(13), displayName: 'payments-api', type: 'ServicePrincipal', modifiedProperties: mods }];
    const f = await parseAll(
      entraAuditLog,
      page(
        record({ activityDisplayName: 'Remove service principal credentials', targetResources: sp([{ displayName: 'KeyDescription', oldValue: kd(k1, k2), newValue: kd(k1) }]) }),
        record({ initiatedBy: { app: { appId: null, displayName: 'Managed Service Identity', servicePrincipalId: 'b9814691-9ca1-4e55-a1ac-8ef5dd010ec0' } }, targetResources: sp([{ displayName: 'KeyDescription', oldValue: kd(k1), newValue: kd(k1, k2) }, { displayName: 'TargetId.ServicePrincipalNames', oldValue: null, newValue: '"a70a7931-c387-4dce-9f35-fbf95bdcc91e;https://identity.azure.net/abc="' }]) }),
        record({ initiatedBy: { app: { appId: '2c92ce28-126c-47c1-82b0-410b64502989', displayName: 'unknown' } }, targetResources: sp([{ displayName: 'KeyDescription', oldValue: '[]', newValue: kd(k2) }]) }),
        record({ activityDisplayName: 'Add member to role', targetResources: [{ id: 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee', type: 'User', modifiedProperties: [{ displayName: 'Role.TemplateId', newValue: '"62e90394-69f5-4237-9190-012177145e10"' }] }] }),
        record({ activityDisplayName: 'Add member to role', targetResources: [{ id: DANA.slice(13), type: 'User', modifiedProperties: [{ displayName: 'Role.TemplateId', newValue: '"62e90394-69f5-4237-9190-012177145e10"' }] }] }),
        record({ activityDisplayName: 'Add app role assignment to service principal', targetResources: [{ id: GRAPH.slice(13), type: 'ServicePrincipal', modifiedProperties: [{ displayName: 'ServicePrincipal.ObjectID', newValue: '"aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee"' }] }] }),
        record({ activityDisplayName: 'Update user' }),
        record({ targetResources: 'not a list' }),
        42,
        record({ activityDateTime: undefined, activityDisplayName: undefined }),
      ),
    );
    expect(f.edges).toEqual([]);
    expect(f.warnings.map((w) => [w.message, w.location])).toEqual([
      ['1 record(s) skipped: no credential added (one removed or none changed)', '$.value[0]'],
      ['1 record(s) skipped: the platform rotated a managed identity\'s certificate', '$.value[1]'],
      ['1 record(s) skipped: no initiator the case can name (no user object id, no service principal id, no client id of a service principal of the case)', '$.value[2]'],
      ['1 record(s) skipped: a role member added who is not the initiator: the initiator got nothing', '$.value[3]'],
      ['1 record(s) skipped: the initiator added itself to a directory role, but the record names no tenant (a Graph page does not): the role cannot be placed', '$.value[4]'],
      ['1 record(s) skipped: an app role granted to another principal: the initiator got nothing', '$.value[5]'],
      ['1 record(s) skipped: an activity that hands the initiator no identity (not a credential, ownership, role, group or app role it gave itself)', '$.value[6]'],
      ['1 record(s) skipped: targetResources is not a list', '$.value[7]'],
      ['1 record(s) skipped: not a JSON object', '$.value[8]'],
      ['1 record(s) skipped: missing activityDateTime or activityDisplayName', '$.value[9]'],
    ]);
  });

  it('a service principal that adds a key to itself: the key signs in as it, and no edge loops', async () => {
    const self = CI.slice(13);
    const f = await parseAll(entraAuditLog, page(record({ initiatedBy: { app: { displayName: 'ci-deployer', servicePrincipalId: self } }, targetResources: [{ id: self, type: 'ServicePrincipal', modifiedProperties: [{ displayName: 'KeyDescription', oldValue: '[]', newValue: '["[KeyIdentifier=e7a1c3d5-2b4f-4a6c-9e8d-0f1a2b3c4d5e,KeyType=Password,KeyUsage=Sign,DisplayName=]"]' }] }] })));
    expect(pairs(f)).toEqual([`AUTHENTICATES_AS azure:credential:e7a1c3d5-2b4f-4a6c-9e8d-0f1a2b3c4d5e → ${CI}`]);
  });

  it('group ownership and federated credentials: drawn when the initiator gave itself the group or wrote a new federated credential, counted otherwise', async () => {
    const GROUP = 'azure:object:0000000a-1111-4222-8333-00000000000a';
    const self = { id: DANA.slice(13), type: 'User', userPrincipalName: 'dana@contoso.example' };
    const groupProps = [{ displayName: 'Group.ObjectID', oldValue: null, newValue: `"${GROUP.slice(13)}"` }, { displayName: 'Group.DisplayName', oldValue: null, newValue: '"TIER0-OPS"' }];
    const fic = (...issuers: string[]) => JSON.stringify(issuers.map((issuer) => ({ Name: 'fic', Issuer: issuer, Subject: 'repo:o/r:ref:refs/heads/main', Audiences: ['api://AzureADTokenExchange'] })));
    const app = (oldValue: string, newValue: string) => [{ id: APP.slice(13), displayName: 'payments', type: 'Application', modifiedProperties: [{ displayName: 'FederatedIdentityCredentials', oldValue, newValue }] }];
    const f = await parseAll(
      entraAuditLog,
      page(
        // Owner named by its target, group only by its properties.
        record({ activityDisplayName: 'Add owner to group', targetResources: [{ ...self, modifiedProperties: groupProps }] }),
        // A member added by itself, the group a target of its own (the Graph docs' shape).
        record({ activityDisplayName: 'Add member to group', targetResources: [{ id: GROUP.slice(13), type: 'Group', displayName: 'TIER0-OPS', modifiedProperties: [] }, { ...self, modifiedProperties: [] }] }),
        record({ activityDisplayName: 'Update application', targetResources: app(fic('https://token.actions.githubusercontent.com'), fic('https://token.actions.githubusercontent.com', 'https://evil.example')) }),
        // Counted: someone else made owner; a federated credential removed; an owner added with no group named.
        record({ activityDisplayName: 'Add owner to group', targetResources: [{ id: 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee', type: 'User', modifiedProperties: groupProps }] }),
        record({ activityDisplayName: 'Update application', targetResources: app(fic('https://a.example', 'https://b.example'), fic('https://a.example')) }),
        record({ activityDisplayName: 'Add owner to group', targetResources: [{ ...self, modifiedProperties: [] }] }),
        record({ activityDisplayName: 'Update application', initiatedBy: { app: { displayName: 'payments', servicePrincipalId: APP.slice(13) } }, targetResources: app('[]', fic('https://c.example')) }),
      ),
    );
    expect(pairs(f)).toEqual([`OBSERVED_USE ${DANA} → ${GROUP}`, `OBSERVED_USE ${DANA} → ${APP}`]);
    const toGroup = f.edges.find((e) => e.to === GROUP)!;
    expect(toGroup.props).toMatchObject({ actions: ['Add member to group', 'Add owner to group'], count: 2 });
    expect(f.nodes.find((n) => n.id === GROUP)).toMatchObject({ kind: 'azure_group', name: 'TIER0-OPS' });
    expect(f.warnings.map((w) => [w.message, w.location])).toEqual([
      ['1 record(s) skipped: a group owner added who is not the initiator: the initiator got nothing', '$.value[3]'],
      ['1 record(s) skipped: no federated credential added (one removed or none changed)', '$.value[4]'],
      ['1 record(s) skipped: a group owner added, but the record names no group', '$.value[5]'],
      ['1 record(s) skipped: an application added a federated credential to itself: it gets no other identity', '$.value[6]'],
    ]);
  });

  it('PIM: an activation names the role as a target (its role definition id) and the member among others; only the initiator\'s own counts', async () => {
    const GA = '62e90394-69f5-4237-9190-012177145e10';
    const pim = (activity: string, member: string) => ({
      time: '2026-03-01T08:00:00.0000000Z', category: 'AuditLogs', operationName: activity, tenantId: TENANT,
      properties: {
        id: 'PIM_x', category: 'RoleManagement', result: 'success', loggedByService: 'PIM', activityDisplayName: activity, activityDateTime: '2026-03-01T08:00:00.0000000Z',
        initiatedBy: { user: { id: DANA.slice(13), userPrincipalName: 'dana@contoso.example', ipAddress: '198.51.100.23' } },
        targetResources: [
          { id: GA, displayName: 'Global Administrator', type: 'Role', modifiedProperties: [] },
          { id: 'b1b1b1b1-0000-4000-8000-000000000001', displayName: 'request', type: 'Request', modifiedProperties: [] },
          { id: member, displayName: 'someone', type: 'User', modifiedProperties: [] },
          { id: TENANT, displayName: 'Contoso', type: 'Directory', modifiedProperties: [] },
        ],
      },
    });
    const lines = [pim('Add member to role completed (PIM activation)', DANA.slice(13)), pim('Add member to role in PIM completed (permanent)', 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee'), pim('Add eligible member to role in PIM completed (permanent)', DANA.slice(13))];
    const f = await parseAll(entraAuditLog, createInput('PT1H.json', Buffer.from(lines.map((l) => JSON.stringify(l)).join('\n'))));
    expect(pairs(f)).toEqual([`OBSERVED_USE ${DANA} → azure:dirrole:${TENANT}:${GA}`]);
    expect(f.nodes.find((n) => n.id === `azure:dirrole:${TENANT}:${GA}`)).toMatchObject({ kind: 'azure_directory_role', name: 'Global Administrator' });
    expect(f.warnings.map((w) => [w.message, w.location])).toEqual([
      ['1 record(s) skipped: a role member added who is not the initiator: the initiator got nothing', 'line 2'],
      ['1 record(s) skipped: an activity that hands the initiator no identity (not a credential, ownership, role, group or app role it gave itself)', 'line 3'],
    ]);
  });

  it('a root that is no record list fails the whole file', async () => {
    await expect(parseAll(entraAuditLog, createInput('audits.json', Buffer.from('"nope"')))).rejects.toThrow(/expected Entra audit records/);
  });
});
