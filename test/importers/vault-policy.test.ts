import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createInput } from '../../src/importers/input.js';
import { detectImporter } from '../../src/importers/registry.js';
import { vaultPolicy } from '../../src/importers/vault-policy.js';
import { cli, parseAll, REAL, tempCase } from '../helpers.js';

const real = (name: string) => join(REAL, 'vault', name);
const parseFile = (path: string) => parseAll(vaultPolicy, createInput(path.split('/').pop()!, readFileSync(path)));
const parseText = (name: string, text: string) => parseAll(vaultPolicy, createInput(name, Buffer.from(text)));

describe('Vault policy importer', () => {
  it('detects every real policy file from its content', () => {
    for (const name of ['admin-policy.hcl', 'eaas-client-policy.hcl', 'aws-auth-dev-policy.hcl', 'acl-policy-api-payload.json']) {
      expect(detectImporter(createInput('renamed.txt', readFileSync(real(name)))).format).toBe('vault-policy');
    }
  });

  it('reads the admin policy and sees that it can rewrite policies and mint tokens', async () => {
    const f = await parseFile(real('admin-policy.hcl'));
    expect(f.nodes).toHaveLength(1);
    const policy = f.nodes[0]!;
    expect(policy).toMatchObject({ id: 'vault:policy:admin-policy', kind: 'vault_policy', name: 'admin-policy' });
    const rules = policy.props?.['rules'] as { path: string; capabilities: string[] }[];
    expect(rules[0]).toMatchObject({ path: 'sys/health', capabilities: ['read', 'sudo'], line: 5 });
    expect(rules.find((r) => r.path === 'sys/policies/acl/*')?.capabilities).toContain('sudo');
    expect(policy.props?.['adminEquivalent']).toBe(true);
    expect(policy.props?.['adminReasons']).toEqual(expect.arrayContaining([expect.stringContaining('can rewrite any ACL policy'), expect.stringContaining('can enable authentication methods')]));
  });

  it('reads an application policy as not admin, with the paths it can read secrets from', async () => {
    const f = await parseFile(real('eaas-client-policy.hcl'));
    expect(f.nodes[0]!.props).toMatchObject({ adminEquivalent: false, readablePaths: ['kv-v2/data/*', 'transit/*'] });
    const dev = await parseFile(real('aws-auth-dev-policy.hcl'));
    expect((dev.nodes[0]!.props?.['rules'] as unknown[]).length).toBe(4);
  });

  it('reads the sys/policy API payload whose policy is HCL inside a JSON string', async () => {
    const f = await parseFile(real('acl-policy-api-payload.json'));
    expect(f.nodes[0]!.name).toBe('acl-policy-api-payload');
    expect(f.nodes[0]!.props?.['rules']).toEqual([{ path: 'secret/app1', capabilities: ['read', 'create', 'delete', 'list', 'update'], line: 1 }]);
    const named = await parseText('x.json', JSON.stringify({ data: { name: 'ci', rules: 'path "ci/*" { capabilities = ["read"] }' } }));
    expect(named.nodes[0]!.id).toBe('vault:policy:ci');
  });

  it('reads the pre-0.5 `policy = "<level>"` rules, which Vault still accepts', async () => {
    // Scenario of the shape public repositories still hold (an AppRole bootstrap policy): every rule was refused.
    const text = '# we need to create approles + policies\npath "auth/approle/role/*" {\n  policy = "write"\n}\n\npath "sys/policy/*" {\n  policy = "write"\n}\npath "secret/*" {\n  policy = "read"\n  capabilities = ["update"]\n}\npath "secret/root" {\n  policy = "deny"\n}\npath "x" {\n  policy = "admin"\n}\n';
    expect(detectImporter(createInput('bootstrap.hcl', Buffer.from(text))).format).toBe('vault-policy');
    const f = await parseText('bootstrap.hcl', text);
    const rules = f.nodes[0]!.props?.['rules'] as { path: string; capabilities: string[] }[];
    expect(rules.map((r) => [r.path, r.capabilities])).toEqual([
      ['auth/approle/role/*', ['create', 'read', 'update', 'delete', 'list']],
      ['sys/policy/*', ['create', 'read', 'update', 'delete', 'list']],
      // A level and a capabilities list on one path add up, as in Vault.
      ['secret/*', ['update', 'read', 'list']],
      ['secret/root', ['deny']],
    ]);
    expect(f.nodes[0]!.props?.['adminReasons']).toEqual([expect.stringContaining('can rewrite any ACL policy')]);
    expect(f.warnings).toEqual([{ message: expect.stringContaining('unknown policy level "admin"'), location: 'line 16' }]);
  });

  it('reads a policy written in JSON form, as a file and as the payload\'s string', async () => {
    // `vault policy write NAME policy.json` takes HCL's JSON form; the file, and the rules Vault then returns, were refused.
    const file = JSON.stringify({ path: { 'secret/data/app/*': { capabilities: ['read', 'list'] }, 'sys/policies/acl/*': { capabilities: ['create', 'update'] } } }, null, 2);
    expect(detectImporter(createInput('policy.json', Buffer.from(file))).format).toBe('vault-policy');
    const f = await parseText('app.json', file);
    expect(f.nodes[0]).toMatchObject({ id: 'vault:policy:app', props: { readablePaths: ['secret/data/app/*'], adminEquivalent: true } });
    expect((f.nodes[0]!.props?.['rules'] as { line: number }[]).map((r) => r.line)).toEqual([3, 9]);
    const read = JSON.stringify({ request_id: 'r1', data: { name: 'app', rules: JSON.stringify({ path: { 'secret/data/app/*': { policy: 'read' } } }, null, 2) } });
    expect(detectImporter(createInput('read.json', Buffer.from(read))).format).toBe('vault-policy');
    expect((await parseText('read.json', read)).nodes[0]).toMatchObject({ id: 'vault:policy:app', props: { rules: [{ path: 'secret/data/app/*', capabilities: ['read', 'list'], line: 3 }] } });
    await expect(parseText('bad.json', JSON.stringify({ path: 'secret/*' }))).rejects.toMatchObject({ location: '$.path' });
  });

  it('names the file and the place of bad HCL, and imports nothing', async () => {
    await expect(parseText('broken.hcl', 'path "a" {\n  capabilities = ["read"\n}\n')).rejects.toThrow(/broken\.hcl.*line 3, column 1/);
    await expect(parseText('p.json', JSON.stringify({ policy: 'path "a" {' }))).rejects.toThrow(/\$\.policy: line 1/);
    const path = tempCase();
    const r = await cli('import', real('admin-policy.hcl'), '--case', path);
    expect(r.code).toBe(0);
    expect(JSON.parse((await cli('search', 'admin-policy', '--case', path, '--json')).out)[0].node.kind).toBe('vault_policy');
  });
});
