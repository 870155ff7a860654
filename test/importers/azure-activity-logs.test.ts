import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { azureActivityLog } from '../../src/importers/azure-activity-log.js';
import { azureTime } from '../../src/importers/azure-log-records.js';
import { entraSignInLog } from '../../src/importers/entra-sign-in-log.js';
import { createInput, openInput } from '../../src/importers/input.js';
import { DEFAULT_LIMITS } from '../../src/importers/limits.js';
import { detectImporter } from '../../src/importers/registry.js';
import type { CaseKnowledge } from '../../src/importers/types.js';
import type { EdgeFact, GraphFragment } from '../../src/model/fragment.js';
import { FIXTURES, parseAll } from '../helpers.js';

const AZ = (name: string) => join(FIXTURES, 'azure-activity', name);
const input = (name: string, bytes = readFileSync(AZ(name))) => createInput(name, bytes);
const edge = (f: GraphFragment, from: string, to: string): EdgeFact => {
  const e = f.edges.find((x) => x.from === from && x.to === to);
  if (!e) throw new Error(`no edge ${from} → ${to}; have ${f.edges.map((x) => `${x.from} → ${x.to}`).join(', ')}`);
  return e;
};

/** What a case knows, for the importers that read it. */
const knowing = (k: { apps?: [string, string][]; upns?: [string, string][]; identities?: [string, string][] }): CaseKnowledge => ({ awsUserAccounts: () => new Map(), gcpProjectIds: () => new Map(), azureServicePrincipalsByAppId: () => new Map(k.apps ?? []), azureUsersByUpn: () => new Map(k.upns ?? []), azureManagedIdentitiesByPath: () => new Map(k.identities ?? []) });
const parseKnowing = async (importer: typeof azureActivityLog, name: string, bytes: Buffer, known: CaseKnowledge): Promise<GraphFragment> => {
  const out: GraphFragment[] = [];
  for await (const fr of importer.parse(createInput(name, bytes), { known, options: {}, now: new Date() }) as AsyncIterable<GraphFragment>) out.push(fr);
  return out[0]!;
};

const SUB = '3f1c2a9e-5b7d-4e61-9a0c-2d8e7f6b5a41';
const TENANT = 'azure:tenant:9b2f4c1d-7e3a-4d5b-8c6f-1a2b3c4d5e6f';
const SP = 'azure:object:c0ffee00-1111-4222-8333-444455556666';
const USER = 'azure:object:0b1e2c3d-4f5a-4b6c-8d7e-9f0a1b2c3d4e';
const MI = 'azure:object:5a5a5a5a-6b6b-4c7c-8d8d-9e9e0f0f1a1a';
const VM = `azure:resource:/subscriptions/${SUB}/resourcegroups/rg-prod/providers/microsoft.compute/virtualmachines/vm-web-01`;
const KEY = 'azure:credential:e7a1c3d5-2b4f-4a6c-9e8d-0f1a2b3c4d5e';
const GRAPH_SP = 'azure:object:1f2e3d4c-5b6a-4798-8a9b-0c1d2e3f4a5b';
const ARM_SP = 'azure:object:6e5d4c3b-2a19-4087-9f6e-5d4c3b2a1908';

describe('Azure Activity Log importer', () => {
  it('detects every shape from its content, and no other format takes them', () => {
    for (const name of ['msdocs-activity-log-rest-administrative.json', 'msdocs-activity-log-storage-records.json', 'msdocs-azureactivity-log-analytics-row.json', 'activity-diagnostic-export-PT1H.json', 'az-monitor-activity-log-list.json', 'log-analytics-azureactivity-query.json']) {
      expect(detectImporter(input(name)).format, name).toBe('azure-activity-log');
    }
    // Blobs written before the Administrative category name it by the operation's kind (Write, Action, Delete).
    const line = readFileSync(AZ('activity-diagnostic-export-PT1H.json'), 'utf8').split('\n')[0]!;
    for (const category of ['Write', 'Action', 'Delete']) {
      expect(detectImporter(createInput('PT1H.json', Buffer.from(`${line.replace('"Administrative"', `"${category}"`)}\n${line}\n`))).format, category).toBe('azure-activity-log');
    }
    // The Entra exports the case already reads stay theirs.
    for (const name of ['graph-serviceprincipals-list-with-passwordcredentials-azcli.json', 'graph-applications-list-azcli.json', 'arm-rest-roledefinitions-c7n.json']) {
      expect(detectImporter(createInput(name, readFileSync(join(FIXTURES, 'azure', name)))).format, name).not.toMatch(/^(azure-activity-log|entra-sign-in-log)$/);
    }
  });

  it('reads the REST sample of Microsoft\'s schema page: the user (by the objectidentifier claim) wrote the NSG', async () => {
    const f = await parseAll(azureActivityLog, input('msdocs-activity-log-rest-administrative.json'));
    const user = 'azure:object:f409edeb-4d29-44b5-9763-ee9348ad91bb';
    const e = edge(f, user, 'azure:resource:/subscriptions/<subscription id>/resourcegroups/myresourcegroup/providers/microsoft.network/networksecuritygroups/mynsg');
    expect(e.kind).toBe('OBSERVED_USE');
    expect(e.props).toMatchObject({ firstSeen: '2018-01-29T20:42:31.381Z', count: 1, actions: ['Microsoft.Network/networkSecurityGroups/write'] });
    expect(e.props?.evidence?.[0]?.location).toBe('msdocs-activity-log-rest-administrative.json $[0]');
    expect(f.nodes.find((n) => n.id === user)).toMatchObject({ kind: 'azure_user', name: 'rob@contoso.com', boundary: 'azure:tenant:aaaabbbb-0000-cccc-1111-dddd2222eeee' });
    expect(f.warnings).toEqual([]);
  });

  it('a token whose object id is no GUID (the storage sample\'s placeholder) names nobody: counted with its place, the role evidence is not taken for the caller', async () => {
    const f = await parseAll(azureActivityLog, input('msdocs-activity-log-storage-records.json'));
    expect(f.edges).toEqual([]);
    expect(f.nodes).toEqual([]);
    expect(f.warnings).toEqual([{ message: expect.stringMatching(/^1 record\(s\) skipped: the caller is named but no object id/), location: '$.records[0]' }]);
  });

  it('reads a diagnostic-settings blob (JSON-lines): service principal, user and managed identity, start records and failures counted, a broken line placed', async () => {
    const f = await parseAll(azureActivityLog, input('activity-diagnostic-export-PT1H.json'));
    // The start record of the VM write is the same operation as its end: one use, not two.
    const vm = edge(f, SP, VM);
    expect(vm.props).toMatchObject({ count: 2, firstSeen: '2026-11-20T09:15:44.765Z', lastSeen: '2026-11-20T09:20:10Z', actions: ['Microsoft.Compute/virtualMachines/runCommand/action', 'Microsoft.Compute/virtualMachines/write'] });
    expect(vm.props?.['failed']).toBeUndefined();
    expect(edge(f, USER, `azure:resource:/subscriptions/${SUB}/resourcegroups/rg-prod/providers/microsoft.authorization/roleassignments/8e3af657-a8ff-443c-a75c-2fe8c4bcb635`).props?.actions).toEqual(['Microsoft.Authorization/roleAssignments/write']);
    expect(edge(f, MI, `azure:resource:/subscriptions/${SUB}/resourcegroups/rg-prod/providers/microsoft.storage/storageaccounts/stproddata`).props?.actions).toEqual(['Microsoft.Storage/storageAccounts/listKeys/action']);
    const kinds = Object.fromEntries(f.nodes.map((n) => [n.id, n.kind]));
    expect(kinds).toMatchObject({ [SP]: 'azure_service_principal', [USER]: 'azure_user', [MI]: 'azure_managed_identity', [VM]: 'azure_resource' });
    expect(f.nodes.find((n) => n.id === VM)?.boundary).toBe(`azure:subscription:${SUB}`);
    expect(f.nodes.find((n) => n.id === SP)?.boundary).toBe(TENANT);
    // The denied Key Vault write reached nothing: no edge to the vault.
    expect(f.edges.some((e) => e.to.includes('kv-prod'))).toBe(false);
    expect(f.warnings.map((w) => [w.message, w.location])).toEqual([
      ['1 record(s) skipped: not an outcome (status "start"): the operation\'s end record says whether it happened', 'line 1'],
      ['1 record(s) skipped: not valid JSON', 'line 5'],
      ['1 record(s) skipped: the operation failed or was denied: no resource reached', 'line 7'],
      ['1 record(s) skipped: not an outcome (status "active"): the operation\'s end record says whether it happened', 'line 8'],
    ]);
  });

  it('az monitor activity-log list output and the same event from Log Analytics (text columns, the workspace\'s TenantId) give the same fact', async () => {
    const cli = await parseAll(azureActivityLog, input('az-monitor-activity-log-list.json'));
    const la = await parseAll(azureActivityLog, input('log-analytics-azureactivity-query.json'));
    for (const f of [cli, la]) {
      expect(edge(f, SP, VM).props).toMatchObject({ count: 1, firstSeen: '2026-11-20T09:15:44.765Z', actions: ['Microsoft.Compute/virtualMachines/write'], sourceIps: [{ value: '203.0.113.77', count: 1 }] });
      expect(f.nodes.find((n) => n.id === SP)).toMatchObject({ kind: 'azure_service_principal', boundary: TENANT });
    }
    expect(cli.warnings.map((w) => w.location)).toEqual(['$[0]', '$[2]']);
  });

  it('a Log Analytics row without its Claims column names a user by UPN only: the case\'s Entra user of that name, else counted', async () => {
    const row = { TimeGenerated: '2026-11-20T10:01:00.5Z', Caller: 'Dana@Contoso.example', CallerIpAddress: '198.51.100.20', OperationNameValue: 'MICROSOFT.COMPUTE/VIRTUALMACHINES/WRITE', ActivityStatusValue: 'Success', _ResourceId: VM.slice('azure:resource:'.length), Type: 'AzureActivity' };
    const bytes = Buffer.from(JSON.stringify([row]));
    const alone = await parseAll(azureActivityLog, createInput('la.json', bytes));
    expect(alone.edges).toEqual([]);
    expect(alone.warnings[0]).toEqual({ message: expect.stringMatching(/no user of the case by that name/), location: '$[0]' });
    const f = await parseKnowing(azureActivityLog, 'la.json', bytes, knowing({ upns: [['dana@contoso.example', USER]] }));
    expect(edge(f, USER, VM).props).toMatchObject({ count: 1, actions: ['MICROSOFT.COMPUTE/VIRTUALMACHINES/WRITE'] });
    expect(f.nodes.find((n) => n.id === USER)).toMatchObject({ kind: 'azure_user', name: 'Dana@Contoso.example' });
  });

  it('reads an {"records": […]} blob gzip-compressed, and a large one streamed, with the same facts', async () => {
    const lines = readFileSync(AZ('activity-diagnostic-export-PT1H.json'), 'utf8').split('\n').filter((l) => l.startsWith('{"time": "2026-11-20T09') || l.includes('LISTKEYS'));
    const doc = Buffer.from(`{"records": [${lines.join(',\n')}]}`);
    const whole = await parseAll(azureActivityLog, createInput('PT1H.json.gz', gzipSync(doc)));
    const streamed = await parseAll(azureActivityLog, createInput('PT1H.json', doc, { ...DEFAULT_LIMITS, streamAboveBytes: 0 }));
    for (const f of [whole, streamed]) {
      expect(edge(f, SP, VM).props).toMatchObject({ count: 2 });
      expect(edge(f, MI, `azure:resource:/subscriptions/${SUB}/resourcegroups/rg-prod/providers/microsoft.storage/storageaccounts/stproddata`).props?.['at']).toBe('$.records[3]');
      expect(f.warnings.map((w) => w.location)).toEqual(['$.records[0]']);
    }
  });

  it('JSON-lines whose lines are {"records": […]} batches (Event Hubs captures) are read record by record, each with its line and place', async () => {
    const lines = readFileSync(AZ('activity-diagnostic-export-PT1H.json'), 'utf8').split('\n');
    const text = `{"records": [${lines[0]}, ${lines[1]}]}\n{"records": [${lines[2]}]}\n`;
    const f = await parseAll(azureActivityLog, createInput('capture.json', Buffer.from(text)));
    expect(edge(f, SP, VM).props).toMatchObject({ count: 2, at: 'line 1 $.records[1]' });
    expect(f.warnings).toEqual([{ message: expect.stringMatching(/status "start"/), location: 'line 1 $.records[0]' }]);
  });

  it('Get-AzActivityLog | ConvertTo-Json from Windows PowerShell (BOM, CRLF, PascalCase, {Value}, Claims.Content, /Date()/): the same facts as az', async () => {
    const name = 'powershell51-get-azactivitylog.json';
    expect(detectImporter(input(name)).format).toBe('azure-activity-log');
    const f = await parseAll(azureActivityLog, input(name));
    const vm = 'azure:resource:/subscriptions/6d2a1f0e-3c4b-4a59-8e7d-1b2c3d4e5f60/resourcegroups/rg-data/providers/microsoft.compute/virtualmachines/vm-etl-02';
    expect(edge(f, 'azure:object:2f4e6a8c-0b1d-4f3e-9a5c-7e9b1d3f5a7c', vm).props).toMatchObject({ firstSeen: '2025-12-01T09:15:00Z', actions: ['Microsoft.Compute/virtualMachines/write'], sourceIps: [{ value: '198.51.100.23', count: 1 }] });
    expect(f.nodes.find((n) => n.id === 'azure:object:2f4e6a8c-0b1d-4f3e-9a5c-7e9b1d3f5a7c')).toMatchObject({ kind: 'azure_user', name: 'ines@northwind.example' });
    // The request body in Properties.Content shows the service principal granting itself the subscription.
    expect(edge(f, 'azure:object:8a6c4e2f-1b3d-4a5c-9e7f-0d2b4c6e8a1f', 'azure:subscription:6d2a1f0e-3c4b-4a59-8e7d-1b2c3d4e5f60').props?.reason).toMatch(/^granted itself a role/);
    expect(f.warnings).toEqual([]);
  });

  it('a file that is not Activity Log events at all is refused with the file and the place', async () => {
    await expect(parseAll(azureActivityLog, createInput('x.json', Buffer.from('"just a string"')))).rejects.toThrow(/x\.json.*expected Azure Activity Log events/);
  });
});

describe('Entra sign-in log importer', () => {
  it('detects Graph pages, the diagnostic export and Log Analytics rows, and leaves directory objects alone', () => {
    for (const name of ['msgraph-docs-beta-signin-list.json', 'graph-beta-signins-workloads.json', 'entra-signin-diagnostic-export.json', 'log-analytics-aadserviceprincipalsigninlogs-query.json']) {
      expect(detectImporter(input(name)).format, name).toBe('entra-sign-in-log');
    }
    // A Graph page without its @odata.context still reads as sign-ins.
    const bare = JSON.parse(readFileSync(AZ('graph-beta-signins-workloads.json'), 'utf8')) as { value: unknown[] };
    expect(detectImporter(createInput('signins.json', Buffer.from(JSON.stringify(bare.value)))).format).toBe('entra-sign-in-log');
  });

  it('the Graph docs sample: a failed password sign-in names the user and reaches nothing', async () => {
    const f = await parseAll(entraSignInLog, input('msgraph-docs-beta-signin-list.json'));
    expect(f.edges).toEqual([]);
    expect(f.nodes).toEqual([expect.objectContaining({ id: 'azure:object:26be570a-1111-5555-b4e2-a37c6808512d', kind: 'azure_user', name: 'testaccount1@contoso.com' })]);
    expect(f.warnings).toEqual([{ message: '1 record(s) skipped: the sign-in failed (error 50126): no resource reached', location: '$.value[0]' }]);
  });

  it('a beta page: the client secret → its service principal (failures counted), each principal → the resource app it signed in to', async () => {
    const f = await parseAll(entraSignInLog, input('graph-beta-signins-workloads.json'));
    const key = edge(f, KEY, SP);
    expect(key.props).toMatchObject({ count: 3, firstSeen: '2026-11-20T09:14:51Z', lastSeen: '2026-11-20T09:45:00Z', actions: ['sign-in (clientSecret)'] });
    expect(f.nodes.find((n) => n.id === KEY)).toMatchObject({ kind: 'azure_client_secret', stub: true, props: { ownerId: SP } });
    expect(edge(f, SP, GRAPH_SP).props).toMatchObject({ count: 2, reason: 'signed in to Microsoft Graph' });
    expect(edge(f, SP, ARM_SP).props).toMatchObject({ count: 1 });
    expect(edge(f, MI, ARM_SP).props?.actions).toEqual(['sign-in (managedIdentity)']);
    expect(edge(f, USER, ARM_SP).props?.sourceIps).toEqual([{ value: '198.51.100.20', count: 1 }]);
    const kinds = Object.fromEntries(f.nodes.map((n) => [n.id, n.kind]));
    expect(kinds).toMatchObject({ [SP]: 'azure_service_principal', [MI]: 'azure_managed_identity', [USER]: 'azure_user', [GRAPH_SP]: 'azure_service_principal' });
    // The invalid-secret attempt names no key: the principal is there, nothing is reached.
    expect(f.warnings).toEqual([{ message: '1 record(s) skipped: the sign-in failed (error 7000215): no resource reached', location: '$.value[3]' }]);
    // Nothing secret is in a sign-in record, and nothing of the kind is kept.
    expect(JSON.stringify(f)).not.toMatch(/secretText|clientSecret"\s*:\s*"[^"]{20,}/);
  });

  it('the diagnostic export: times without a zone are UTC, a failed sign-in counts on the secret\'s edge, other categories and a broken line are placed', async () => {
    const f = await parseAll(entraSignInLog, input('entra-signin-diagnostic-export.json'));
    expect(edge(f, KEY, SP).props).toMatchObject({ count: 2, failed: 1, firstSeen: '2026-11-21T02:10:05.123Z', lastSeen: '2026-11-21T02:11:00.500Z' });
    expect(edge(f, SP, GRAPH_SP).props).toMatchObject({ count: 1 });
    // The category alone says managed identity (no signInEventTypes in this export).
    expect(f.nodes.find((n) => n.id === MI)?.kind).toBe('azure_managed_identity');
    expect(edge(f, MI, ARM_SP).props?.firstSeen).toBe('2026-11-21T03:00:00Z');
    expect(f.warnings.map((w) => [w.message, w.location])).toEqual([
      ['1 record(s) skipped: the sign-in failed (error 7000222): no resource reached', 'line 2'],
      ['1 record(s) skipped: not valid JSON', 'line 3'],
      ['1 record(s) skipped: not a sign-in record (category "AuditLogs")', 'line 5'],
    ]);
  });

  it('Log Analytics rows name the resource by client id: the case\'s service principal of it, else the client id itself', async () => {
    const alone = await parseAll(entraSignInLog, input('log-analytics-aadserviceprincipalsigninlogs-query.json'));
    expect(edge(alone, KEY, SP).props).toMatchObject({ count: 1, sourceIps: [{ value: '203.0.113.91', count: 1 }] });
    // azure:appid:… is what the Entra exports alias to the tenant's service principal of that client id.
    expect(edge(alone, SP, 'azure:appid:00000003-0000-0000-c000-000000000000').props).toMatchObject({ count: 1, reason: 'signed in to Microsoft Graph' });
    expect(alone.warnings).toEqual([]);
    const known = knowing({ apps: [['00000003-0000-0000-c000-000000000000', GRAPH_SP]] });
    const f = await parseKnowing(entraSignInLog, 'log-analytics-aadserviceprincipalsigninlogs-query.json', readFileSync(AZ('log-analytics-aadserviceprincipalsigninlogs-query.json')), known);
    expect(edge(f, SP, GRAPH_SP).props).toMatchObject({ count: 1, reason: 'signed in to Microsoft Graph' });
    expect(f.nodes.find((n) => n.id === SP)?.boundary).toBe(TENANT);
  });

  it('a record naming the API both ways says which service principal the client id is: an alias for the records that name only the client id', async () => {
    const f = await parseAll(entraSignInLog, input('graph-beta-signins-workloads.json'));
    expect(f.aliases).toEqual(expect.arrayContaining([
      { from: 'azure:appid:00000003-0000-0000-c000-000000000000', to: GRAPH_SP },
      { from: 'azure:appid:797f4846-ba00-4fd7-ba43-dac1f8f63013', to: ARM_SP },
    ]));
  });

  it('a workload sign-in by client id only is placed on the case\'s service principal, or counted when the case has none', async () => {
    const rec = { createdDateTime: '2026-11-20T09:00:00Z', appId: '4E8D0A2B-6C1F-4B9E-A7D3-5F2E1C0B9A87', servicePrincipalId: '', signInEventTypes: ['servicePrincipal'], resourceServicePrincipalId: GRAPH_SP.slice('azure:object:'.length), resourceId: '00000003-0000-0000-c000-000000000000', resourceDisplayName: 'Microsoft Graph', status: { errorCode: 0 } };
    const bytes = Buffer.from(JSON.stringify({ value: [rec] }));
    const none = await parseAll(entraSignInLog, createInput('s.json', bytes));
    expect(none.edges).toEqual([]);
    expect(none.warnings[0]).toEqual({ message: expect.stringMatching(/names no service principal id, and whose client id is no service principal of the case/), location: '$.value[0]' });
    const known = knowing({ apps: [['4e8d0a2b-6c1f-4b9e-a7d3-5f2e1c0b9a87', SP]] });
    expect(edge(await parseKnowing(entraSignInLog, 's.json', bytes, known), SP, GRAPH_SP).props).toMatchObject({ count: 1 });
  });

  it('signing in to one of the tenant\'s own applications is not a step into that application\'s identity: the credential edge stays, the rest is counted', async () => {
    const rec = { createdDateTime: '2026-11-20T09:00:00Z', appId: '4e8d0a2b-6c1f-4b9e-a7d3-5f2e1c0b9a87', servicePrincipalId: SP.slice('azure:object:'.length), servicePrincipalCredentialKeyId: KEY.slice('azure:credential:'.length), clientCredentialType: 'clientSecret', signInEventTypes: ['servicePrincipal'], resourceServicePrincipalId: '2b2b2b2b-3c3c-4d4d-8e8e-5f5f5f5f5f5f', resourceId: '9a9a9a9a-1b1b-4c2c-8d3d-4e4e4e4e4e4e', resourceDisplayName: 'payroll-api', status: { errorCode: 0 } };
    const f = await parseAll(entraSignInLog, createInput('s.json', Buffer.from(JSON.stringify([rec]))));
    expect(f.edges.map((e) => [e.from, e.to])).toEqual([[KEY, SP]]);
    expect(f.nodes.some((n) => n.name === 'payroll-api')).toBe(false);
    expect(f.warnings).toEqual([{ message: expect.stringMatching(/not a Microsoft API/), location: '$[0]' }]);
  });

  it('Microsoft-Extractor-Suite pages appended to one file ([…] then {…}, CRLF): every page read, each record placed in its page', async () => {
    // Get-GraphEntraSignInLogs appends each page (ConvertTo-Json | Out-File -Append) to a file named to the second, so
    // pages fetched within one second share a file; ConvertTo-Json writes a page of one record as an object. Refused
    // before as "JSON-lines … entra-sign-in-log, which is one JSON document".
    const name = 'extractor-suite-signinlogs-appended-pages.json';
    expect(detectImporter(input(name)).format).toBe('entra-sign-in-log');
    const whole = await parseAll(entraSignInLog, input('graph-beta-signins-workloads.json'));
    // The same facts, their places aside (a record's place names its page).
    const unplaced = (k: string, v: unknown) => (k === 'at' || k === 'location' ? undefined : v);
    const sorted = (f: GraphFragment) => JSON.stringify([f.nodes, f.edges].map((l) => l.map((x) => JSON.stringify(x, unplaced)).sort()));
    const pages = await parseAll(entraSignInLog, input(name));
    expect(sorted(pages)).toBe(sorted(whole));
    expect(edge(pages, KEY, SP).props).toMatchObject({ count: 3 });
    expect(edge(pages, MI, ARM_SP).props?.actions).toEqual(['sign-in (managedIdentity)']);
    expect(pages.warnings).toEqual([{ message: '1 record(s) skipped: the sign-in failed (error 7000215): no resource reached', location: 'document 1 (line 1, column 1): $[3]' }]);
    expect(edge(pages, USER, ARM_SP).props?.at).toBe('document 2 (line 319, column 1): $');
    // Windows PowerShell 5.1 writes a BOM; a large file is streamed and then read whole from its second page on.
    const bytes = readFileSync(AZ(name));
    const bom = Buffer.from([0xef, 0xbb, 0xbf]);
    expect(sorted(await parseAll(entraSignInLog, createInput(name, Buffer.concat([bom, bytes]))))).toBe(sorted(whole));
    // Two such files concatenated (cat a.json b.json): a byte-order mark where the second starts.
    const [first, second] = [bytes.subarray(0, bytes.indexOf('\r\n{')), bytes.subarray(bytes.indexOf('\r\n{') + 2)];
    expect(sorted(await parseAll(entraSignInLog, createInput(name, Buffer.concat([bom, first, Buffer.from('\r\n'), bom, second]))))).toBe(sorted(whole));
    // A mark inside a value is no second document.
    await expect(parseAll(entraSignInLog, createInput('x.json', Buffer.from('[\ufeff{"createdDateTime": "2026-01-01T00:00:00Z"}]')))).rejects.toThrow(/line 1, column 2/);
    const streamed = await parseAll(entraSignInLog, createInput(name, bytes, { ...DEFAULT_LIMITS, streamAboveBytes: 0 }));
    expect(sorted(streamed)).toBe(sorted(whole));
    // Records the stream gave before the second page are not read twice.
    expect(edge(streamed, KEY, SP).props).toMatchObject({ count: 3 });
    expect(streamed.warnings).toHaveLength(1);
    // Past the whole-read limit, the refusal says where the second page starts and why it is not read.
    const big = parseAll(entraSignInLog, await openInput(name, AZ(name), { ...DEFAULT_LIMITS, streamAboveBytes: 0, maxWholeBytes: 1000 }));
    await expect(big).rejects.toMatchObject({ location: 'line 319, column 1', message: expect.stringMatching(/a second JSON object starts here: the file holds JSON documents appended one after another \(pages appended to one file\), which are read whole, up to 1000 bytes, and this file is larger; split it/) });
    // Compressed pages one per line (jq -c .value over each page): JSON-lines whose lines are arrays of records.
    const records = (JSON.parse(readFileSync(AZ('graph-beta-signins-workloads.json'), 'utf8')) as { value: unknown[] }).value;
    const lines = Buffer.from(`${JSON.stringify(records.slice(0, 2))}\n${JSON.stringify(records.slice(2))}\n`);
    const perLine = await parseAll(entraSignInLog, createInput('pages.json', lines));
    expect(sorted(perLine)).toBe(sorted(whole));
    expect(perLine.warnings.map((w) => w.location)).toEqual(['line 2 $[1]']);
  });

  it('Azure times: seven fractional digits, offsets and zoneless times all become UTC', () => {
    expect(azureTime('2018-01-29T20:42:31.3810679Z')).toBe('2018-01-29T20:42:31.381Z');
    expect(azureTime('2017-03-29T15:43:08.0019532+02:00')).toBe('2017-03-29T13:43:08.001Z');
    expect(azureTime('2023-07-26 22:58:30.983201900')).toBe('2023-07-26T22:58:30.983Z');
    expect(azureTime('2021-06-30T16:34:32Z')).toBe('2021-06-30T16:34:32Z');
    expect(azureTime('2007-01-09T09:41:00.535404056Z')).toBe('2007-01-09T09:41:00.535Z');
    expect(azureTime('2007-01-09T09:41:00')).toBe('2007-01-09T09:41:00Z');
    // The US forms some exports (and the portal's CSV) use, with a 12-hour clock or an offset.
    expect(azureTime('01/09/2007 09:41:00')).toBe('2007-01-09T09:41:00Z');
    expect(azureTime('1/9/2007 9:41:00 PM')).toBe('2007-01-09T21:41:00Z');
    expect(azureTime('1/9/2007 12:05:00 AM')).toBe('2007-01-09T00:05:00Z');
    expect(azureTime('1/9/2007 10:41:00 AM +01:00')).toBe('2007-01-09T09:41:00Z');
    // Windows PowerShell's ConvertTo-Json: milliseconds since 1970.
    expect(azureTime('/Date(1764580500000)/')).toBe('2025-12-01T09:15:00Z');
    expect(azureTime('9/27/2026, 10:00:00.000 AM')).toBe('2026-09-27T10:00:00Z');
    expect(azureTime('yesterday')).toBeUndefined();
  });
});

describe('Azure Activity Log: writes that take an identity or a scope over', () => {
  const RG = `/subscriptions/${SUB}/resourceGroups/rg-prod`;
  const UAMI = `${RG}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-deployer`;
  const event = (o: { action: string; resourceId: string; properties?: Record<string, unknown> }) => ({
    authorization: { action: o.action, scope: o.resourceId },
    caller: SP.slice(13),
    claims: { idtyp: 'app', 'http://schemas.microsoft.com/identity/claims/objectidentifier': SP.slice(13) },
    eventDataId: 'e9',
    eventTimestamp: '2026-11-20T10:00:00.1234567Z',
    operationName: { value: o.action },
    resourceId: o.resourceId,
    status: { value: 'Succeeded' },
    ...(o.properties ? { properties: o.properties } : {}),
  });
  const file = (...events: unknown[]) => Buffer.from(JSON.stringify(events));
  const ficWrite = event({ action: 'Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials/write', resourceId: `${UAMI}/federatedIdentityCredentials/github-main` });

  it('a federated credential written on a user-assigned identity the case holds: the caller → the identity', async () => {
    const f = await parseKnowing(azureActivityLog, 'fic.json', file(ficWrite), knowing({ identities: [[UAMI.toLowerCase(), MI]] }));
    expect(f.edges.map((e) => `${e.from} → ${e.to}`)).toEqual([`${SP} → ${MI}`]);
    expect(f.edges[0]!.props).toMatchObject({ actions: ['Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials/write'] });
    expect(f.warnings).toEqual([]);
  });

  it('the same write without the identity in the case: the edge stays on the ARM resource, and a warning says so', async () => {
    // The diagnostic export upper-cases resource ids; the lookup does not care.
    const f = await parseKnowing(azureActivityLog, 'fic.json', file(ficWrite), knowing({ identities: [['/subscriptions/other/resourcegroups/rg/providers/microsoft.managedidentity/userassignedidentities/x', MI]] }));
    expect(f.edges.map((e) => e.to)).toEqual([`azure:resource:${UAMI.toLowerCase()}/federatedidentitycredentials/github-main`]);
    expect(f.warnings).toEqual([{ message: expect.stringMatching(/^1 record\(s\): a federated credential written on a user-assigned identity the case does not hold/), location: '$[0]' }]);
  });

  const assignment = (principal: string, where: 'requestbody' | 'responseBody') =>
    event({
      action: 'Microsoft.Authorization/roleAssignments/write',
      resourceId: `${RG}/providers/Microsoft.Authorization/roleAssignments/0d0d0d0d-1e1e-4f2f-8a3a-4b4b4b4b4b4b`,
      properties: {
        eventCategory: 'Administrative',
        message: 'Microsoft.Authorization/roleAssignments/write',
        [where]: JSON.stringify(
          where === 'requestbody'
            ? { Id: '0d0d0d0d-1e1e-4f2f-8a3a-4b4b4b4b4b4b', Properties: { PrincipalId: principal, PrincipalType: 'ServicePrincipal', RoleDefinitionId: '/providers/Microsoft.Authorization/roleDefinitions/8e3af657-a8ff-443c-a75c-2fe8c4bcb635', Scope: RG } }
            : { properties: { roleDefinitionId: `/subscriptions/${SUB}/providers/Microsoft.Authorization/roleDefinitions/8e3af657-a8ff-443c-a75c-2fe8c4bcb635`, principalId: principal, principalType: 'ServicePrincipal', scope: RG } },
        ),
      },
    });

  it('a role assignment the caller wrote for itself (request or response body): the caller → the scope', async () => {
    for (const where of ['requestbody', 'responseBody'] as const) {
      const f = await parseAll(azureActivityLog, createInput('ra.json', file(assignment(SP.slice(13), where))));
      expect(f.edges.map((e) => `${e.from} → ${e.to}`), where).toEqual([`${SP} → azure:resource:${RG.toLowerCase()}`]);
      expect(f.edges[0]!.props!['reason'], where).toBe('granted itself a role on this scope (role definition 8e3af657-a8ff-443c-a75c-2fe8c4bcb635)');
    }
  });

  it('a role assignment for someone else, or without a body: a use of the assignment resource, as before', async () => {
    const other = assignment('aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee', 'requestbody');
    const bare = event({ action: 'Microsoft.Authorization/roleAssignments/write', resourceId: `${RG}/providers/Microsoft.Authorization/roleAssignments/0d0d0d0d-1e1e-4f2f-8a3a-4b4b4b4b4b4b` });
    const f = await parseAll(azureActivityLog, createInput('ra.json', file(other, bare)));
    expect(f.edges.map((e) => `${e.from} → ${e.to}`)).toEqual([`${SP} → azure:resource:${RG.toLowerCase()}/providers/microsoft.authorization/roleassignments/0d0d0d0d-1e1e-4f2f-8a3a-4b4b4b4b4b4b`]);
  });
});
