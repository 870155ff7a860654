import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openEngine } from '../../src/api/engine.js';
import type { ImportRequest } from '../../src/api/contract.js';
import { gcpAssetInventory } from '../../src/importers/gcp-asset-inventory.js';
import { gcpIamPolicy, gcpServiceAccountKeys, gcpServiceAccounts } from '../../src/importers/gcp-iam.js';
import { createInput } from '../../src/importers/input.js';
import { detectImporter } from '../../src/importers/registry.js';
import type { EdgeKind } from '../../src/model/kinds.js';
import { cli, FIXTURES, parseAll, REAL, tempCase, tempDir } from '../helpers.js';

const fx = (name: string) => join(FIXTURES, 'gcp', name);
const parseFile = (imp: typeof gcpServiceAccounts, path: string, options = {}, now?: Date) => parseAll(imp, createInput(path.split('/').pop()!, readFileSync(path)), options, now);
const parseText = (imp: typeof gcpServiceAccounts, name: string, text: string, options = {}) => parseAll(imp, createInput(name, Buffer.from(text)), options);

/** Imports files through the engine (detection, store, rules) and returns the case's edges of a kind. */
async function importCase(paths: string[], options: ImportRequest['options'] = {}, now = new Date('2026-01-01T00:00:00Z')) {
  const engine = openEngine(tempCase(), { create: true });
  const result = await engine.importWithHooks({ files: paths.map((path) => ({ path })), options }, { now });
  const edges = (kind: EdgeKind) => [...engine.store.edgesOfKind(kind)];
  const has = (kind: EdgeKind, from: string, to: string) => edges(kind).find((e) => e.src === from && e.dst === to);
  return { engine, result, edges, has, node: (id: string) => engine.store.node(id) };
}

function writeJson(name: string, value: unknown): string {
  const path = join(tempDir(), name);
  writeFileSync(path, JSON.stringify(value, null, 2));
  return path;
}

describe('GCP IAM listings', () => {
  it('detects each real export from its content, whatever the file is called', () => {
    const expected: Record<string, string> = {
      'iam-rest-serviceaccounts-list-c7n.json': 'gcp-service-accounts',
      'iam-rest-serviceaccount-keys-list-c7n.json': 'gcp-service-account-keys',
      'crm-rest-project-getiampolicy-c7n.json': 'gcp-iam-policy',
      'cai-export-iam-policy-forseti-mock.jsonl': 'gcp-asset-inventory',
      'cai-iam-policy-assets-array-policy-library.json': 'gcp-asset-inventory',
      'cai-service-account-key-assets-policy-library.json': 'gcp-asset-inventory',
    };
    for (const [name, format] of Object.entries(expected)) {
      expect(detectImporter(createInput('export.txt', readFileSync(fx(name)))).format, name).toBe(format);
    }
  });

  it('reads the REST service-account list: four accounts with their handles, project and admin node', async () => {
    const f = await parseFile(gcpServiceAccounts, fx('iam-rest-serviceaccounts-list-c7n.json'));
    const accounts = f.nodes.filter((n) => n.kind === 'gcp_service_account');
    expect(accounts).toHaveLength(4);
    const sa = accounts.find((n) => n.id === 'gcp:sa:my-sa-42dc41452@c7n-policy-dev.iam.gserviceaccount.com')!;
    expect(sa.boundary).toBe('gcp:project:c7n-policy-dev');
    expect(sa.handles).toEqual(expect.arrayContaining(['111111111111111111111111112', 'my-sa-42dc41452@c7n-policy-dev.iam.gserviceaccount.com']));
    expect(sa.props).toMatchObject({ displayName: 'My Test Service Account 2', projectId: 'c7n-policy-dev', uniqueId: '111111111111111111111111112', disabled: false });
    expect(f.nodes.find((n) => n.id === 'gcp:project:c7n-policy-dev')?.kind).toBe('gcp_project');
    expect(f.nodes.find((n) => n.id === 'admin:gcp:project:c7n-policy-dev')).toMatchObject({ kind: 'admin', boundary: 'gcp:project:c7n-policy-dev' });
    // Asset Inventory names accounts by unique id: that name is an alias of the email id.
    expect(f.aliases).toContainEqual({ from: 'gcp:sa:111111111111111111111111112', to: sa.id });
  });

  it('reads gcloud\'s bare array the same way, with owner and disabled state', async () => {
    const f = await parseText(gcpServiceAccounts, 'sas.json', JSON.stringify([
      { name: 'projects/prod-1/serviceAccounts/ci@prod-1.iam.gserviceaccount.com', email: 'CI@prod-1.iam.gserviceaccount.com', uniqueId: '42', oauth2ClientId: '42', description: 'deploys; owner: platform-team', disabled: true },
    ]));
    expect(f.nodes[0]).toMatchObject({ id: 'gcp:sa:ci@prod-1.iam.gserviceaccount.com', boundary: 'gcp:project:prod-1', props: { owner: 'platform-team', disabled: true, projectId: 'prod-1' } });
  });

  it('reads the keys list: the user-managed key never expires, the system key has expired', async () => {
    const f = await parseFile(gcpServiceAccountKeys, fx('iam-rest-serviceaccount-keys-list-c7n.json'));
    const user = f.nodes.find((n) => n.id === 'gcp:key:2')!;
    expect(user).toMatchObject({ kind: 'gcp_sa_key', boundary: 'gcp:project:cloud-custodian' });
    expect(user.props).toMatchObject({ managedBy: 'user', expiresAt: null, createdAt: '2021-03-31T13:27:15Z', active: true, keyType: 'USER_MANAGED' });
    expect(f.nodes.find((n) => n.id === 'gcp:key:1')!.props).toMatchObject({ managedBy: 'system', expiresAt: '2021-04-09T14:07:01Z', active: false });
    expect(f.edges).toEqual([
      expect.objectContaining({ from: 'gcp:key:1', to: 'gcp:sa:test-cutodian-scc@cloud-custodian.iam.gserviceaccount.com', kind: 'AUTHENTICATES_AS' }),
      expect.objectContaining({ from: 'gcp:key:2', to: 'gcp:sa:test-cutodian-scc@cloud-custodian.iam.gserviceaccount.com', kind: 'AUTHENTICATES_AS' }),
    ]);
    expect(f.nodes.find((n) => n.id === 'gcp:sa:test-cutodian-scc@cloud-custodian.iam.gserviceaccount.com')?.stub).toBe(true);
    // A path through the expired key is not a sure one; the user-managed key's is.
    expect(f.edges.find((e) => e.from === 'gcp:key:1')!.props?.conditional).toMatch(/expired on 2021-04-09T14:07:01Z/);
    expect(f.edges.find((e) => e.from === 'gcp:key:2')!.props?.conditional).toBeUndefined();
  });

  it('reads the project policy, keeps its bindings and warns about the malformed member with its path', async () => {
    const f = await parseFile(gcpIamPolicy, fx('crm-rest-project-getiampolicy-c7n.json'), { project: 'custodian-test-2' });
    const project = f.nodes.find((n) => n.id === 'gcp:project:custodian-test-2')!;
    const bindings = project.props?.['iamBindings'] as { role: string; members: string[] }[];
    expect(bindings.map((b) => b.role)).toEqual(['roles/admin', 'roles/editor', 'roles/viewer']);
    expect(bindings[0]!.members).toEqual(['serviceAccount:abc@testproject.iam.gserviceaccount.com', 'user:abc@gmail.com']);
    expect(f.warnings).toEqual([expect.objectContaining({ location: '$.bindings[0].members[2]', message: expect.stringContaining('"abcdefg"') })]);
    expect(f.nodes.find((n) => n.id === 'gcp:member:user:zzz@gmail.com')).toMatchObject({ kind: 'gcp_user', stub: true });
  });

  it('falls back to the file name for the project, and says so', async () => {
    const f = await parseText(gcpIamPolicy, 'payments-prod-iam-policy.json', JSON.stringify({ bindings: [{ role: 'roles/owner', members: ['user:a@x.com'] }] }));
    expect(f.nodes[0]!.id).toBe('gcp:project:payments-prod');
    expect(f.warnings[0]!.message).toMatch(/assumed project "payments-prod" from the file name.*--project.*an organization's or folder's policy takes --organization ID or --folder ID/);
  });

  it('gcloud organizations / resource-manager folders get-iam-policy: --organization and --folder put the policy on that node, not on a project named after the file', async () => {
    const org = fx('gcloud-organizations-get-iam-policy.json');
    const folder = fx('gcloud-resource-manager-folders-get-iam-policy.json');
    for (const path of [org, folder]) expect(detectImporter(createInput('policy.json', readFileSync(path))).format).toBe('gcp-iam-policy');
    const o = await parseFile(gcpIamPolicy, org, { organization: '482901337265' });
    expect(o.warnings).toEqual([]);
    expect(o.nodes.filter((n) => !n.id.startsWith('gcp:member:')).map((n) => [n.id, n.kind])).toEqual([
      ['gcp:organization:482901337265', 'gcp_organization'],
      ['admin:gcp:organization:482901337265', 'admin'],
    ]);
    expect(o.nodes[0]).toMatchObject({ name: 'organizations/482901337265', stub: true, props: { iamPolicyEtag: 'BwYxq2n3Jd8=' } });
    expect((o.nodes[0]!.props!['iamBindings'] as { role: string }[]).map((b) => b.role)).toContain('roles/resourcemanager.organizationAdmin');
    expect(o.nodes.some((n) => n.kind === 'gcp_project')).toBe(false);
    // The id as gcloud lists it (organizations/ID) is taken too.
    expect((await parseFile(gcpIamPolicy, folder, { folder: 'folders/730215946184' })).nodes[0]).toMatchObject({ id: 'gcp:folder:730215946184', kind: 'gcp_folder' });
    await expect(parseFile(gcpIamPolicy, org, { organization: 'northwind.example' })).rejects.toThrow(/--organization must be the numeric id \(organizations\/ID as gcloud lists it\), not "northwind.example"/);
    await expect(parseFile(gcpIamPolicy, org, { organization: '482901337265', project: 'nw-prod' })).rejects.toThrow(/pass one of --project and --organization/);
    // Without the option: a project named after the file, as before, and a warning that says which option names it.
    const bare = await parseFile(gcpIamPolicy, org);
    expect(bare.nodes[0]!.id).toBe('gcp:project:gcloud-organizations');
    expect(bare.warnings[0]!.message).toMatch(/it grants roles\/resourcemanager\.organizationAdmin, which IAM grants only on organizations: an organization's policy \(gcloud organizations get-iam-policy\) takes --organization ID/);
  });

  it('an organization\'s and a folder\'s policy reach the projects below them once the case knows the hierarchy, as search-all-iam-policies does', async () => {
    // The hierarchy alone: search-all-iam-policies results with only their viewer bindings (nobody admin).
    const results = (JSON.parse(readFileSync(fx('gcloud-asset-search-all-iam-policies.json'), 'utf8')) as { policy: { bindings: { role: string }[] } }[]).map((r) => ({ ...r, policy: { bindings: r.policy.bindings.filter((b) => b.role === 'roles/viewer') } }));
    const hierarchy = writeJson('hierarchy.json', results);
    const engine = openEngine(tempCase(), { create: true });
    const now = new Date('2026-01-01T00:00:00Z');
    await engine.importWithHooks({ files: [{ path: hierarchy }] }, { now });
    expect([...engine.store.edgesOfKind('ADMIN_OF')]).toEqual([]);
    await engine.importWithHooks({ files: [{ path: fx('gcloud-organizations-get-iam-policy.json') }], options: { organization: '482901337265' } }, { now });
    await engine.importWithHooks({ files: [{ path: fx('gcloud-resource-manager-folders-get-iam-policy.json') }], options: { folder: '730215946184' } }, { now });
    const admin = (from: string) => [...engine.store.edgesOfKind('ADMIN_OF')].filter((e) => e.src === from).map((e) => e.dst).sort();
    expect(admin('gcp:member:group:gcp-org-admins@northwind.example')).toEqual(['admin:gcp:organization:482901337265', 'admin:gcp:project:559012384417']);
    expect(admin('gcp:sa:ci-deployer@nw-tools.iam.gserviceaccount.com')).toContain('admin:gcp:project:559012384417');
    // No project was made up from a file name.
    expect([...engine.store.nodesOfKind('gcp_project')].map((n) => n.id)).toEqual(['gcp:project:559012384417']);
    engine.close();
  });

  it('names the file and the JSON path of bad input', async () => {
    await expect(parseText(gcpServiceAccountKeys, 'keys.json', JSON.stringify({ keys: [{ name: 'projects/p/serviceAccounts/a@p.iam.gserviceaccount.com/keys/1' }, { validAfterTime: 'x' }] }))).rejects.toThrow(/keys\.json \(\$\.keys\[1\]\.name\)/);
    await expect(parseText(gcpServiceAccounts, 'sa.json', JSON.stringify({ accounts: [{ uniqueId: '1' }] }))).rejects.toThrow(/\$\.accounts\[0\]\.email/);
    await expect(parseText(gcpIamPolicy, 'p.json', JSON.stringify({ bindings: { role: 'roles/owner' } }), { project: 'p' })).rejects.toThrow(/\$\.bindings/);
  });

  it('gcloud … describe prints one account or one key, not a list: read as one, with its place', async () => {
    const sa = { displayName: 'Terraform CI', email: 'terraform-ci@nw-tools.iam.gserviceaccount.com', etag: 'MDEwMjE5MjA=', name: 'projects/nw-tools/serviceAccounts/terraform-ci@nw-tools.iam.gserviceaccount.com', oauth2ClientId: '104938475610293847561', projectId: 'nw-tools', uniqueId: '104938475610293847561' };
    expect(detectImporter(createInput('sa.json', Buffer.from(JSON.stringify(sa, null, 2)))).format).toBe('gcp-service-accounts');
    const accounts = await parseText(gcpServiceAccounts, 'sa.json', JSON.stringify(sa));
    expect(accounts.nodes.find((n) => n.id === 'gcp:sa:terraform-ci@nw-tools.iam.gserviceaccount.com')).toMatchObject({ kind: 'gcp_service_account', props: { uniqueId: '104938475610293847561' } });
    const key = { disabled: true, keyAlgorithm: 'KEY_ALG_RSA_2048', keyOrigin: 'GOOGLE_PROVIDED', keyType: 'USER_MANAGED', name: `${sa.name}/keys/0f1e2d3c4b5a69788796a5b4c3d2e1f0a9b8c7d6`, validAfterTime: '2024-03-01T10:00:00Z', validBeforeTime: '9999-12-31T23:59:59Z' };
    expect(detectImporter(createInput('key.json', Buffer.from(JSON.stringify(key, null, 2)))).format).toBe('gcp-service-account-keys');
    const keys = await parseText(gcpServiceAccountKeys, 'key.json', JSON.stringify(key));
    expect(keys.edges).toEqual([expect.objectContaining({ kind: 'AUTHENTICATES_AS', from: 'gcp:key:0f1e2d3c4b5a69788796a5b4c3d2e1f0a9b8c7d6', to: 'gcp:sa:terraform-ci@nw-tools.iam.gserviceaccount.com' })]);
    expect(keys.nodes.find((n) => n.kind === 'gcp_sa_key')?.props).toMatchObject({ disabled: true, at: '$' });
    // An empty REST page is still an empty list.
    expect((await parseText(gcpServiceAccounts, 'sa.json', '{}')).nodes).toEqual([]);
  });

  it('reports a Cloud Asset Inventory line that is not JSON before an earlier asset it cannot read (assets are read as lines are parsed)', async () => {
    const asset = (name: string) => JSON.stringify({ name, asset_type: 'storage.googleapis.com/Bucket', resource: { data: { name: 'b' } } });
    const lines = [asset('//storage.googleapis.com/a'), asset('no-full-name'), asset('//storage.googleapis.com/c'), '{"name": ', asset('//storage.googleapis.com/d')];
    await expect(parseText(gcpAssetInventory, 'assets.jsonl', lines.join('\n'))).rejects.toThrow(/assets\.jsonl \(line 4\).*invalid JSON/);
    // Without the broken line, the asset's own problem, at its line.
    await expect(parseText(gcpAssetInventory, 'assets.jsonl', lines.filter((_, i) => i !== 3).join('\n'))).rejects.toThrow(/assets\.jsonl \(line 2 \.name\)/);
    const fine = await parseText(gcpAssetInventory, 'assets.jsonl', [lines[0], lines[2], lines[4]].join('\n'));
    expect(fine.nodes.map((n) => n.id)).toEqual(['gcp:resource://storage.googleapis.com/a', 'gcp:resource://storage.googleapis.com/c', 'gcp:resource://storage.googleapis.com/d']);
  });
});

describe('GCP IAM bindings rule', () => {
  it('owners are project admins; editors and token creators can act as every service account of the project; viewers get nothing', async () => {
    const policy = fx('crm-rest-project-getiampolicy-c7n.json');
    const sas = writeJson('sas.json', [
      { email: 'abc@testproject.iam.gserviceaccount.com', uniqueId: '1', projectId: 'testproject' },
      { email: 'def@testproject.iam.gserviceaccount.com', uniqueId: '2', projectId: 'testproject' },
      { email: 'ghi@testproject.iam.gserviceaccount.com', uniqueId: '3', projectId: 'testproject' },
      { email: 'old@testproject.iam.gserviceaccount.com', uniqueId: '4', projectId: 'testproject', disabled: true },
    ]);
    const c = await importCase([policy, sas], { project: 'testproject' });
    // roles/admin is not a predefined role: no admin edge from its members.
    expect(c.edges('ADMIN_OF')).toEqual([]);
    const editor = c.has('CAN_ESCALATE', 'gcp:member:user:zzz@gmail.com', 'gcp:sa:ghi@testproject.iam.gserviceaccount.com');
    expect(editor?.props).toMatchObject({ technique: 'iam.serviceAccountKeys.create', evidence: [expect.objectContaining({ location: expect.stringContaining('crm-rest-project-getiampolicy-c7n.json $.bindings[1]') })] });
    expect(editor?.conditional).toBe(false);
    expect(c.has('CAN_ESCALATE', 'gcp:member:user:zzz@gmail.com', 'gcp:sa:old@testproject.iam.gserviceaccount.com')?.props.conditional).toBe('old@testproject.iam.gserviceaccount.com is disabled');
    // An account does not escalate to itself; viewers get no edge.
    expect(c.has('CAN_ESCALATE', 'gcp:sa:def@testproject.iam.gserviceaccount.com', 'gcp:sa:def@testproject.iam.gserviceaccount.com')).toBeUndefined();
    expect(c.edges('CAN_ESCALATE').filter((e) => e.src === 'gcp:member:user:abc@gmail.com')).toEqual([]);
    c.engine.close();

    const owner = writeJson('owner-policy.json', {
      version: 3,
      bindings: [
        { role: 'roles/owner', members: ['group:admins@x.com', 'deleted:user:gone@x.com?uid=123'] },
        { role: 'roles/iam.serviceAccountTokenCreator', members: ['serviceAccount:abc@testproject.iam.gserviceaccount.com'], condition: { title: 'business hours', expression: 'request.time.getHours("Europe/Berlin") < 18' } },
      ],
    });
    const d = await importCase([owner, sas], { project: 'testproject' });
    expect(d.has('ADMIN_OF', 'gcp:member:group:admins@x.com', 'admin:gcp:project:testproject')?.props.reason).toMatch(/setIamPolicy/);
    expect(d.edges('ADMIN_OF')).toHaveLength(1);
    const tc = d.has('CAN_ESCALATE', 'gcp:sa:abc@testproject.iam.gserviceaccount.com', 'gcp:sa:def@testproject.iam.gserviceaccount.com');
    expect(tc?.conditional).toBe(true);
    expect(tc?.props).toMatchObject({ technique: 'iam.serviceAccounts.getAccessToken', conditional: expect.stringContaining('business hours') });
    d.engine.close();
  });

  it('Asset Inventory: resources and policies merge by project number, and folder bindings are inherited by the projects below', async () => {
    const c = await importCase([join(REAL, 'gcp', 'cai-export-resource-forseti-mock.jsonl'), fx('cai-export-iam-policy-forseti-mock.jsonl')]);
    expect(c.result.sources.map((s) => s.format)).toEqual(['gcp-asset-inventory', 'gcp-asset-inventory']);
    const p4 = c.node('gcp:project:1044')!;
    expect(p4).toMatchObject({ id: 'gcp:project:project4', kind: 'gcp_project', name: 'project4' });
    expect(p4.props['iamBindings']).toHaveLength(2);
    // project4 is in folder 1033, in folder 1032, where a_user is folderAdmin.
    const inherited = c.edges('ADMIN_OF').filter((e) => e.src === 'gcp:member:user:a_user@forseti.test' && e.dst === 'admin:gcp:project:project4');
    expect(inherited.map((e) => e.props.technique).sort()).toEqual(['roles/owner', 'roles/resourcemanager.folderAdmin', 'roles/resourcemanager.organizationAdmin']);
    const folder = inherited.find((e) => e.props.technique === 'roles/resourcemanager.folderAdmin')!;
    expect(folder.props.evidence![0]!.summary).toMatch(/Folder 2.*inherited by project4|inherited by project4/);
    // The key admin on the default compute account's own policy (named by unique id 1101) reaches that account.
    expect(c.has('CAN_ESCALATE', 'gcp:member:user:c_user@forseti.test', 'gcp:sa:1041-compute@developer.gserviceaccount.com')?.props.technique).toBe('iam.serviceAccountKeys.create');
    // Project editors (default service accounts) reach bucket1 through the legacy projectEditor: member.
    expect(c.has('MEMBER_OF', 'gcp:sa:3-compute@developer.gserviceaccount.com', 'gcp:member:projectEditor:project3')).toBeDefined();
    expect(c.has('CAN_ACCESS', 'gcp:member:projectEditor:project3', 'gcp:resource://storage.googleapis.com/bucket1')?.props.accessLevel).toBe('Permissions management');
    // The system-managed key of the App Engine account.
    const key = c.node('gcp:key:5555abcabcabc444444abcabc')!;
    expect(key.props).toMatchObject({ managedBy: 'system', active: false, expiresAt: '2019-12-05T04:15:47Z' });
    expect(c.has('AUTHENTICATES_AS', 'gcp:key:5555abcabcabc444444abcabc', 'gcp:sa:123-compute@developer.gserviceaccount.com')).toBeDefined();
    c.engine.close();
  });

  it('without the resource export the hierarchy is unknown, so folder bindings reach no project', async () => {
    const c = await importCase([fx('cai-export-iam-policy-forseti-mock.jsonl')]);
    expect(c.edges('ADMIN_OF').filter((e) => e.props.technique === 'roles/resourcemanager.folderAdmin').map((e) => e.dst).sort()).toEqual(['admin:gcp:folder:1031', 'admin:gcp:folder:1032', 'admin:gcp:folder:1033']);
    expect(c.has('ADMIN_OF', 'gcp:member:user:a_user@forseti.test', 'admin:gcp:project:1044')?.props.technique).toBe('roles/owner');
    c.engine.close();
  });

  it('Asset Inventory JSON arrays: project owners, public bindings on buckets, and key validity edge cases', async () => {
    const c = await importCase([fx('cai-iam-policy-assets-array-policy-library.json'), fx('cai-service-account-key-assets-policy-library.json')]);
    expect(c.edges('ADMIN_OF').map((e) => e.src).sort()).toEqual(['gcp:member:group:admins@google.com', 'gcp:member:user:evil@notgoogle.com', 'gcp:member:user:powerful@google.com']);
    expect(c.has('CAN_ACCESS', 'gcp:member:user:okay@google.com', 'gcp:resource://storage.googleapis.com/forseti-cai-export-23775711')?.props.accessLevel).toBe('Read');
    expect(c.has('CAN_ACCESS', 'gcp:member:user:admin@gmail.com', 'gcp:resource://bigquery.googleapis.com/projects/12345/datasets/testdataset1')?.props.accessLevel).toBe('Permissions management');
    const key = (k: string) => c.node(`gcp:key:${k}`)!.props;
    expect(key('testkeyexpired')).toMatchObject({ active: false, expiresAt: '2017-08-22T19:55:36Z' });
    expect(key('testkeyagefuture')).toMatchObject({ active: false, createdAt: '2200-08-21T07:55:36Z' });
    // 2999 is far, but it is a date: only 9999-12-31 means "never".
    expect(key('testkeyageover100000days')).toMatchObject({ active: true, expiresAt: '2999-08-22T19:55:36Z' });
    expect(key('testkeyageover90days').managedBy).toBeUndefined();
    expect(c.has('AUTHENTICATES_AS', 'gcp:key:testkeyexpired', 'gcp:sa:111111-compute@developer.gserviceaccount.com')).toBeDefined();
    c.engine.close();
  });

  it('gcloud asset search-all-iam-policies: each policy on its resource, inherited down the folders and organization the result names', async () => {
    const path = fx('gcloud-asset-search-all-iam-policies.json');
    expect(detectImporter(createInput('policies.json', readFileSync(path))).format).toBe('gcp-asset-inventory');
    const c = await importCase([path]);
    expect(c.result.warnings).toEqual([]);
    // The folder's owner administers the project below it and can act as the project's service accounts.
    expect(c.has('ADMIN_OF', 'gcp:sa:ci-deployer@nw-tools.iam.gserviceaccount.com', 'admin:gcp:project:559012384417')?.props.technique).toBe('roles/owner');
    expect(c.has('ADMIN_OF', 'gcp:member:group:gcp-org-admins@northwind.example', 'admin:gcp:project:559012384417')).toBeDefined();
    // The service account's own policy: a conditional token creator.
    expect(c.has('CAN_ESCALATE', 'gcp:member:user:dana@northwind.example', 'gcp:sa:billing-exporter@nw-prod.iam.gserviceaccount.com')?.props.conditional).toContain('until-2027');
    expect(c.has('CAN_ACCESS', 'gcp:member:allUsers', 'gcp:resource://storage.googleapis.com/nw-prod-public-assets')?.props.accessLevel).toBe('Read');
    // A viewer gets nothing.
    expect(c.edges('ADMIN_OF').some((e) => e.src === 'gcp:member:user:dana@northwind.example')).toBe(false);
    c.engine.close();
  });

  it('search-all-iam-policies as the REST response {results}, an older result without assetType, and a project named by id beside its number', async () => {
    const results = [
      { resource: '//cloudresourcemanager.googleapis.com/projects/nw-prod', project: 'projects/559012384417', policy: { bindings: [{ role: 'roles/owner', members: ['user:ops@northwind.example'] }] } },
      { resource: '//storage.googleapis.com/nw-prod-logs', project: 'projects/559012384417', policy: { bindings: [{ role: 'roles/storage.admin', members: ['group:logs@northwind.example'] }, { role: 'roles/storage.objectViewer', members: ['nobody'] }] } },
    ];
    const f = await parseText(gcpAssetInventory, 'search.json', JSON.stringify({ results, nextPageToken: '' }));
    expect(f.nodes.find((n) => n.id === 'gcp:project:nw-prod')).toMatchObject({ kind: 'gcp_project' });
    expect(f.aliases).toContainEqual({ from: 'gcp:project:559012384417', to: 'gcp:project:nw-prod' });
    expect(f.nodes.find((n) => n.id === 'gcp:resource://storage.googleapis.com/nw-prod-logs')).toMatchObject({ kind: 'gcp_resource', boundary: 'gcp:project:559012384417' });
    // A bad member is named by the result's own path.
    expect(f.warnings.map((w) => w.location)).toEqual([expect.stringContaining('$.results[1] $.policy.bindings[1].members[0]')]);
  });

  it('camelCase asset arrays: organization-level service roles reach that service\'s resources in the projects below, and only those', async () => {
    const project = '//cloudresourcemanager.googleapis.com/projects/77';
    const assets = writeJson('assets.json', [
      { name: '//cloudresourcemanager.googleapis.com/organizations/9', assetType: 'cloudresourcemanager.googleapis.com/Organization', resource: { data: { displayName: 'x.com', name: 'organizations/9' } }, iamPolicy: { bindings: [{ role: 'roles/storage.objectViewer', members: ['group:auditors@x.com'] }] } },
      {
        name: project,
        assetType: 'cloudresourcemanager.googleapis.com/Project',
        resource: { parent: '//cloudresourcemanager.googleapis.com/organizations/9', data: { projectId: 'shop-prod', projectNumber: '77', name: 'Shop' } },
        iamPolicy: { bindings: [{ role: 'roles/iam.serviceAccountTokenCreator', members: ['user:dev@x.com'], condition: { title: 'temporary', expression: 'request.time < timestamp("2026-02-01T00:00:00Z")' } }] },
      },
      { name: '//storage.googleapis.com/shop-invoices', assetType: 'storage.googleapis.com/Bucket', resource: { parent: project, data: { name: 'shop-invoices' } }, ancestors: ['projects/77', 'organizations/9'] },
      { name: '//bigquery.googleapis.com/projects/shop-prod/datasets/sales', assetType: 'bigquery.googleapis.com/Dataset', resource: { parent: project, data: {} } },
      { name: '//iam.googleapis.com/projects/shop-prod/serviceAccounts/555', assetType: 'iam.googleapis.com/ServiceAccount', resource: { parent: project, data: { email: 'api@shop-prod.iam.gserviceaccount.com', uniqueId: '555', projectId: 'shop-prod' } } },
    ]);
    const c = await importCase([assets]);
    expect(c.node('gcp:project:77')?.id).toBe('gcp:project:shop-prod');
    const bucket = c.has('CAN_ACCESS', 'gcp:member:group:auditors@x.com', 'gcp:resource://storage.googleapis.com/shop-invoices');
    expect(bucket?.props).toMatchObject({ accessLevel: 'Read', technique: 'roles/storage.objectViewer' });
    expect(bucket?.props.reason).toMatch(/x\.com.*shop-prod/);
    expect(c.edges('CAN_ACCESS').filter((e) => e.dst.includes('bigquery'))).toEqual([]);
    const tc = c.has('CAN_ESCALATE', 'gcp:member:user:dev@x.com', 'gcp:sa:api@shop-prod.iam.gserviceaccount.com');
    expect(tc?.props.conditional).toMatch(/^temporary: request\.time/);
    // No one here holds a role that can change IAM policies.
    expect(c.edges('ADMIN_OF')).toEqual([]);
    c.engine.close();
  });

  it('rejects a broken JSON-lines export with its line, and leaves the case untouched', async () => {
    const path = join(tempDir(), 'cai.jsonl');
    writeFileSync(path, `${readFileSync(fx('cai-export-iam-policy-forseti-mock.jsonl'), 'utf8').split('\n').slice(0, 2).join('\n')}\n{"asset_type": "x", "name": \n`);
    const casePath = tempCase();
    const r = await cli('import', path, '--case', casePath, '--json');
    expect(r.code).toBe(1);
    expect(JSON.parse(r.out).error).toMatchObject({ code: 'bad-input', file: 'cai.jsonl', location: 'line 3' });
  });

  it('walks a leaked user-managed key to project admin through token creation, with the evidence of each step', async () => {
    const sas = writeJson('sas.json', [
      { email: 'deployer@shop-prod.iam.gserviceaccount.com', uniqueId: '1', projectId: 'shop-prod' },
      { email: 'ci@shop-prod.iam.gserviceaccount.com', uniqueId: '2', projectId: 'shop-prod' },
    ]);
    const keys = writeJson('keys.json', { keys: [{ name: 'projects/shop-prod/serviceAccounts/ci@shop-prod.iam.gserviceaccount.com/keys/abc123', validAfterTime: '2024-01-01T00:00:00Z', validBeforeTime: '9999-12-31T23:59:59Z', keyType: 'USER_MANAGED' }] });
    const policy = writeJson('policy.json', { bindings: [{ role: 'roles/iam.serviceAccountTokenCreator', members: ['serviceAccount:ci@shop-prod.iam.gserviceaccount.com'] }, { role: 'roles/owner', members: ['serviceAccount:deployer@shop-prod.iam.gserviceaccount.com'] }], etag: 'x', version: 1 });
    const c = await importCase([sas, keys, policy], { project: 'shop-prod' });
    const [path] = await c.engine.paths({ from: 'gcp:key:abc123', to: 'admin' });
    expect(path!.steps.map((s) => `${s.edge.kind}:${s.to.id}`)).toEqual([
      'AUTHENTICATES_AS:gcp:sa:ci@shop-prod.iam.gserviceaccount.com',
      'CAN_ESCALATE:gcp:sa:deployer@shop-prod.iam.gserviceaccount.com',
      'ADMIN_OF:admin:gcp:project:shop-prod',
    ]);
    expect(path!.steps[2]!.edge.evidence[0]!.location).toBe('policy.json $.bindings[1]');
    c.engine.close();
  });

  it('takes --project on the command line', async () => {
    const casePath = tempCase();
    const r = await cli('import', fx('crm-rest-project-getiampolicy-c7n.json'), '--project', 'custodian-test-2', '--case', casePath, '--json');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.out);
    expect(out.warnings).toHaveLength(1);
    const hit = JSON.parse((await cli('node', 'gcp:project:custodian-test-2', '--case', casePath, '--json')).out);
    expect(hit.node.kind).toBe('gcp_project');
  });
});
