// End to end: an Entra export (service principals with their client secrets, as az ad sp list prints them) and a
// sign-in log of one of those secrets after it was marked compromised: the secret shows its observed use and triage
// says it was used after the exposure, as CloudTrail does for an AWS access key.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openEngine } from '../../src/api/engine.js';
import { FIXTURES, tempCase, tempDir } from '../helpers.js';

const SP = 'azure:object:66e30abb-1162-47a4-97e7-007bf57bb3ac';
const APP_ID = 'f2e11c36-a278-47db-bdc1-d7c524bff96f';
const SECRET = 'azure:credential:76952f9f-06c4-4ba0-a164-ffbc138dc8ba';
const OTHER_SECRET = 'azure:credential:6449cb68-995e-4a16-8e14-13009429ef35';
const GRAPH_SP = 'azure:object:1f2e3d4c-5b6a-4798-8a9b-0c1d2e3f4a5b';

describe('a leaked Azure client secret seen signing in after the leak', () => {
  const engine = openEngine(tempCase(), { create: true });
  afterAll(() => engine.close());

  it('the secret → its service principal is observed use, the principal reached Microsoft Graph, and triage says "used after the exposure"', async () => {
    await engine.importFiles({ files: [{ path: join(FIXTURES, 'azure', 'graph-serviceprincipals-list-with-passwordcredentials-azcli.json') }] });
    await engine.mark({ ids: [SECRET], mark: 'compromised', note: 'found in a CI log', by: 'responder' });
    // The sign-ins happen after the mark (the exposure time of a hand mark is when it was made).
    const later = (minutes: number) => new Date(Date.now() + minutes * 60_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    const signIn = (id: string, at: string, key: string, code = 0) => ({
      id, createdDateTime: at, appId: APP_ID, appDisplayName: 'azure-cli-test000001', servicePrincipalId: SP.slice('azure:object:'.length), servicePrincipalName: 'azure-cli-test000001',
      ipAddress: '203.0.113.66', resourceDisplayName: 'Microsoft Graph', resourceId: '00000003-0000-0000-c000-000000000000', resourceServicePrincipalId: GRAPH_SP.slice('azure:object:'.length),
      clientCredentialType: 'clientSecret', servicePrincipalCredentialKeyId: key, signInEventTypes: ['servicePrincipal'], status: { errorCode: code },
    });
    const dir = tempDir();
    const log = join(dir, 'sp-signins.json');
    writeFileSync(log, JSON.stringify({ '@odata.context': 'https://graph.microsoft.com/beta/$metadata#auditLogs/signIns', value: [signIn('a', later(60), SECRET.slice(17)), signIn('b', later(90), SECRET.slice(17)), signIn('c', later(95), OTHER_SECRET.slice(17), 7000222), { ...signIn('d', later(100), SECRET.slice(17)), resourceServicePrincipalId: '' }] }));
    const result = await engine.importFiles({ files: [{ path: log }] });
    expect(result.sources.map((s) => s.format)).toEqual(['entra-sign-in-log']);

    // The logged key id is the credential the Graph export described: one node, its kind and owner from the export.
    const secret = await engine.node({ id: SECRET });
    expect(secret.node.kind).toBe('azure_client_secret');
    const used = secret.out.filter((o) => o.edge.kind === 'OBSERVED_USE');
    expect(used.map((o) => o.other.id)).toEqual([SP]);
    expect(used[0]!.edge.props).toMatchObject({ count: 3 });
    // The record that names Microsoft Graph by client id only is the same service principal as the others: one node.
    const sp = await engine.node({ id: SP });
    const reached = sp.out.filter((o) => o.edge.kind === 'OBSERVED_USE');
    expect(new Set(reached.map((o) => o.other.id))).toEqual(new Set([GRAPH_SP]));
    expect(reached.reduce((n, o) => n + Number(o.edge.props['count']), 0)).toBe(3);

    const rows = await engine.triage({});
    const row = rows.find((r) => r.node.id === SECRET);
    expect(row?.usedAfterExposure).toMatchObject({ events: 3, actions: ['sign-in (clientSecret)'] });
    expect(row?.scoreParts.map((p) => p.label)).toContain('seen in use after it was exposed');
    // The other secret only failed to sign in, and was never marked: no triage row, but the attempt is on record.
    expect(rows.some((r) => r.node.id === OTHER_SECRET)).toBe(false);
    const other = await engine.node({ id: OTHER_SECRET });
    expect(other.out.find((o) => o.edge.kind === 'OBSERVED_USE')?.edge.props).toMatchObject({ count: 1, failed: 1 });
  });
});
