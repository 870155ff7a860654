import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openEngine } from '../../src/api/engine.js';
import { createInput } from '../../src/importers/input.js';
import { prowler } from '../../src/importers/prowler.js';
import { detectImporter } from '../../src/importers/registry.js';
import { scoutSuite } from '../../src/importers/scoutsuite.js';
import type { GraphFragment } from '../../src/model/fragment.js';
import { cli, FIXTURES, tempCase, tempDir } from '../helpers.js';

const fx = (name: string) => join(FIXTURES, 'scanners', name);
const STATE = join(FIXTURES, 'terraform', 'show-state.json');
const ACCT = '111122223333';
const USER = `arn:aws:iam::${ACCT}:user/ci/ci-payments`;
const ROLE = `arn:aws:iam::${ACCT}:role/ci/payments-deploy`;
const writeTemp = (name: string, text: string) => {
  const path = join(tempDir(), name);
  writeFileSync(path, text);
  return path;
};
const parseWith = (imp: typeof prowler, path: string) => imp.parse(createInput(path.split('/').pop()!, readFileSync(path)), { options: {}, now: new Date() }) as GraphFragment;

async function importCase(paths: string[]) {
  const engine = openEngine(tempCase(), { create: true });
  const result = await engine.importWithHooks({ files: paths.map((path) => ({ path })), options: { cluster: 'payments-eks' } }, { now: new Date('2026-03-10T00:00:00Z') });
  return { engine, result };
}

describe('Posture scanners: Prowler and ScoutSuite', () => {
  it('Prowler 2 (the shell Prowler, AWS only): its JSON-lines and comma CSV are read, each check named by its [checkNN] id', () => {
    // Refused before as "not a format Blastmap recognises": its keys ("Control", "Account Number") and CSV header
    // (TITLE_ID, CHECK_RESULT) are not Prowler 3's.
    for (const ext of ['json', 'csv']) expect(detectImporter(createInput(`x.${ext}`, readFileSync(fx(`prowler2-dd-many_vuln.${ext}`)))).format, ext).toBe('prowler');
    const json = parseWith(prowler, fx('prowler2-dd-many_vuln.json'));
    expect(json.results?.map((r) => [r.checkId, r.severity, r.resource, r.refs])).toEqual([
      ['check114', 'critical', '012345678912', []],
      ['extra796', 'high', 'prod-eksc', ['prod-eksc']],
      ['extra794', 'medium', 'prod-eksc', ['prod-eksc']],
      ['check116', 'low', 'dtpa.prod.config_read.iam', ['dtpa.prod.config_read.iam']],
    ]);
    expect(json.results?.[0]).toMatchObject({ title: 'Ensure hardware MFA is enabled for the root account', status: 'FAIL', provider: 'aws', account: '012345678912', region: 'eu-central-1', summary: 'eu-central-1: Only Virtual MFA is enabled for root', at: 'prowler2-dd-many_vuln.json line 2' });
    // "Pass" and "Info" (Prowler 2's casing) are counted, not kept.
    expect(json.warnings).toEqual([{ message: '2 result(s) not kept (only failed checks are findings): 1 pass, 1 info' }]);
    const csv = parseWith(prowler, fx('prowler2-dd-many_vuln.csv'));
    expect(csv.results?.map((r) => r.checkId)).toEqual(['check11', 'check13', 'check110', 'extra75']);
    expect(csv.results?.[1]).toMatchObject({ title: 'Ensure credentials unused for 90 days or greater are disabled (Scored)', severity: 'medium', account: '012345678910', resource: '012345678910', at: 'prowler2-dd-many_vuln.csv line 3' });
    // The last 2.x versions add CHECK_RESOURCE_ID: each row its resource. Without it, failed rows of one check in one
    // account and region are one finding, and a warning says so.
    const header = 'PROFILE,ACCOUNT_NUM,REGION,TITLE_ID,CHECK_RESULT,ITEM_SCORED,ITEM_LEVEL,TITLE_TEXT,CHECK_RESULT_EXTENDED,CHECK_ASFF_COMPLIANCE_TYPE,CHECK_SEVERITY,CHECK_SERVICENAME,CHECK_ASFF_RESOURCE_TYPE,CHECK_ASFF_TYPE,CHECK_RISK,CHECK_REMEDIATION,CHECK_DOC,CHECK_CAF_EPIC';
    const row = (user: string, id?: string) => `ENV,012345678912,us-east-1,1.4,FAIL,Scored,Level 1,[check14] Ensure access keys are rotated every 90 days or less,${user} has not rotated access key 1 in over 90 days,x,Medium,iam,AwsIamUser,x,x,x,x,IAM${id === undefined ? '' : `,${id}`}`;
    const withIds = parseWith(prowler, writeTemp('ids.csv', `${header},CHECK_RESOURCE_ID\n${row('alice', 'arn:aws:iam::012345678912:user/alice')}\n${row('bob', 'arn:aws:iam::012345678912:user/bob')}\n`));
    expect(withIds.results?.map((r) => r.refs)).toEqual([['arn:aws:iam::012345678912:user/alice'], ['arn:aws:iam::012345678912:user/bob']]);
    expect(withIds.warnings).toEqual([]);
    const noIds = parseWith(prowler, writeTemp('no-ids.csv', `${header}\n${row('alice')}\n${row('bob')}\n`));
    expect(noIds.results?.map((r) => r.resource)).toEqual(['012345678912', '012345678912']);
    expect(noIds.warnings).toEqual([{ message: 'this Prowler 2 CSV names no resource (no CHECK_RESOURCE_ID column, which later 2.x versions add): 2 failed rows are 1 finding(s), one per check, account and region, each with its first row\'s message' }]);
    // Its -M json-asff: one ASFF finding per line.
    const asff = (check: string, status: string, id: string) => JSON.stringify({ SchemaVersion: '2018-10-08', Id: `prowler-${check}-012345678912-eu-west-1`, ProductArn: 'arn:aws:securityhub:eu-west-1::product/prowler/prowler', GeneratorId: `prowler-${check}`, AwsAccountId: '012345678912', Title: `[${check}] a check`, Severity: { Label: 'HIGH' }, Resources: [{ Type: 'AwsIamUser', Id: id, Region: 'eu-west-1' }], Compliance: { Status: status } });
    const lines = `${asff('check13', 'FAILED', 'arn:aws:iam::012345678912:user/example')}\n${asff('check11', 'PASSED', 'AWS::::Account:012345678912')}\n`;
    expect(detectImporter(createInput('x.json', Buffer.from(lines))).format).toBe('prowler');
    const a = prowler.parse(createInput('x.json', Buffer.from(lines)), { options: {}, now: new Date() }) as GraphFragment;
    expect(a.results?.map((r) => [r.checkId, r.refs, r.at])).toEqual([['check13', ['arn:aws:iam::012345678912:user/example'], 'x.json line 1']]);
  });

  it('detects every Prowler output and ScoutSuite results from their content', () => {
    for (const p of ['aws', 'azure', 'gcp', 'kubernetes']) {
      for (const ext of ['csv', 'ocsf.json']) expect(detectImporter(createInput(`x.${ext}`, readFileSync(fx(`prowler-example-${p}.${ext}`)))).format, `${p} ${ext}`).toBe('prowler');
    }
    expect(detectImporter(createInput('a.json', readFileSync(fx('prowler-acme.ocsf.json')))).format).toBe('prowler');
    expect(detectImporter(createInput('a.csv', readFileSync(fx('prowler-acme.csv')))).format).toBe('prowler');
    for (const f of ['scoutsuite-dd-two_findings.js', 'scoutsuite-dd-no_vuln.js', 'scoutsuite_results_aws-111122223333.js']) expect(detectImporter(createInput(f, readFileSync(fx(f)))).format, f).toBe('scoutsuite');
  });

  it('keeps failed checks with the scanner\'s severity, check id and the handles of the resource', () => {
    const f = parseWith(prowler, fx('prowler-acme.ocsf.json'));
    expect(f.results?.map((r) => r.checkId)).toEqual(['iam_rotate_access_key_90_days', 'iam_inline_policy_allows_privilege_escalation', 'iam_root_mfa_enabled', 'iam_sa_user_managed_key_unused', 'rbac_cluster_admin_usage']);
    expect(f.results?.[2]).toMatchObject({ severity: 'critical', refs: [`arn:aws:iam::${ACCT}:root`], account: ACCT, provider: 'aws' });
    expect(f.results?.[4]).toMatchObject({ provider: 'kubernetes', refs: ['6f1c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f', 'ci/deployer', 'deployer'] });
    expect(f.warnings.map((w) => w.message)).toEqual(['2 result(s) not kept (only failed checks are findings): 1 pass, 1 muted']);
    // Prowler's example outputs: placeholders are not handles.
    const ex = parseWith(prowler, fx('prowler-example-aws.ocsf.json'));
    expect(ex.results?.every((r) => r.refs.every((ref) => !ref.startsWith('<')))).toBe(true);
    const csv = parseWith(prowler, fx('prowler-example-gcp.csv'));
    expect(csv.results?.length).toBeGreaterThan(0);
    expect(csv.results?.[0]).toMatchObject({ provider: 'gcp', at: expect.stringMatching(/prowler-example-gcp\.csv line 3$/) });
  });

  it('lists the results with Blastmap\'s findings, on the nodes they name, and keeps the unmatched', async () => {
    const c = await importCase([STATE, fx('prowler-acme.ocsf.json')]);
    const all = await c.engine.findings({});
    const prowlerFindings = all.filter((f) => f.origin?.scanner === 'prowler');
    expect(prowlerFindings).toHaveLength(5);
    const rotate = prowlerFindings.find((f) => f.rule === 'prowler:iam_rotate_access_key_90_days')!;
    expect(rotate).toMatchObject({ nodeId: USER, severity: 'medium', node: expect.objectContaining({ name: 'ci-payments' }), origin: expect.objectContaining({ matched: true, checkId: 'iam_rotate_access_key_90_days', status: 'FAIL' }) });
    expect(prowlerFindings.find((f) => f.rule === 'prowler:iam_inline_policy_allows_privilege_escalation')?.nodeId).toBe(ROLE);
    // By handle: a GCP account's unique id, a Kubernetes service account's namespace/name.
    expect(prowlerFindings.find((f) => f.rule === 'prowler:iam_sa_user_managed_key_unused')?.nodeId).toBe('gcp:sa:payments-ci@acme-payments-prod.iam.gserviceaccount.com');
    expect(prowlerFindings.find((f) => f.rule === 'prowler:rbac_cluster_admin_usage')?.nodeId).toBe('k8s:payments-eks/ci/serviceaccount/deployer');
    // The root user is not in the case: the result is kept, listed under the resource Prowler names.
    const root = prowlerFindings.find((f) => f.rule === 'prowler:iam_root_mfa_enabled')!;
    expect(root).toMatchObject({ nodeId: `arn:aws:iam::${ACCT}:root`, severity: 'critical', origin: expect.objectContaining({ matched: false }) });
    expect(root.node).toBeUndefined();
    // Shown with Blastmap's own findings, filtered alike: by severity, by scanner or by check.
    expect(all.some((f) => !f.origin)).toBe(true);
    expect((await c.engine.findings({ rule: 'prowler' })).length).toBe(5);
    expect((await c.engine.findings({ severity: 'critical', rule: 'prowler' })).map((f) => f.rule)).toEqual(['prowler:iam_root_mfa_enabled']);
    // On the node's details too.
    const details = await c.engine.node({ id: USER });
    expect(details.findings.map((f) => f.rule)).toContain('prowler:iam_rotate_access_key_90_days');
    c.engine.close();
  });

  it('finds its node when the inventory arrives after the scan, and leaves with its source', async () => {
    const c = await importCase([fx('prowler-acme.ocsf.json')]);
    expect((await c.engine.findings({ rule: 'prowler' })).every((f) => f.origin?.matched === false)).toBe(true);
    await c.engine.importFiles({ files: [{ path: STATE }], options: { cluster: 'payments-eks' } });
    expect((await c.engine.findings({ rule: 'prowler:iam_rotate_access_key_90_days' }))[0]?.nodeId).toBe(USER);
    // Re-importing the scan replaces its results, not adds to them.
    await c.engine.importFiles({ files: [{ path: fx('prowler-acme.ocsf.json') }] });
    expect(await c.engine.findings({ rule: 'prowler' })).toHaveLength(5);
    c.engine.close();
  });

  it('reads ScoutSuite results: flagged items resolved to the objects they name', async () => {
    const f = parseWith(scoutSuite, fx('scoutsuite_results_aws-111122223333.js'));
    expect(f.results?.map((r) => [r.checkId, r.severity, r.refs[0]])).toEqual([
      ['iam-user-without-mfa', 'high', USER],
      ['iam-user-no-key-rotation', 'medium', USER],
      ['cloudtrail-not-configured', 'high', ACCT],
    ]);
    const c = await importCase([STATE, fx('scoutsuite_results_aws-111122223333.js')]);
    const found = await c.engine.findings({ rule: 'scoutsuite' });
    expect(found.find((x) => x.rule === 'scoutsuite:iam-user-without-mfa')?.nodeId).toBe(USER);
    // A region without a trail is the account's.
    expect(found.find((x) => x.rule === 'scoutsuite:cloudtrail-not-configured')?.nodeId).toBe(`aws:account:${ACCT}`);
    c.engine.close();
    // DefectDojo's recorded GCP run: buckets flagged, by name.
    const gcp = parseWith(scoutSuite, fx('scoutsuite-dd-two_findings.js'));
    expect(gcp.results).toHaveLength(4);
    expect(gcp.results?.every((r) => r.provider === 'gcp' && r.severity === 'medium')).toBe(true);
    expect(parseWith(scoutSuite, fx('scoutsuite-dd-no_vuln.js')).results).toEqual([]);
  });

  it('prints scanner findings with the CLI and filters them by scanner', async () => {
    const path = tempCase();
    expect((await cli('import', STATE, fx('prowler-acme.csv'), '--case', path, '--cluster', 'payments-eks')).code).toBe(0);
    const out = await cli('findings', '--case', path, '--rule', 'prowler', '--json');
    const list = JSON.parse(out.out) as { rule: string; nodeId: string }[];
    expect(list.map((f) => f.rule).sort()).toEqual(['prowler:iam_rotate_access_key_90_days', 'prowler:rbac_cluster_admin_usage']);
    expect(list.find((f) => f.rule === 'prowler:rbac_cluster_admin_usage')?.nodeId).toBe('k8s:payments-eks/ci/serviceaccount/deployer');
    const text = await cli('findings', '--case', path, '--rule', 'prowler');
    expect(text.out).toMatch(/\[medium\] Ensure access keys are rotated every 90 days or less — ci-payments \(prowler iam_rotate_access_key_90_days\)/);
  });
});
