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

  it('names the file and the place of bad HCL, and imports nothing', async () => {
    await expect(parseText('broken.hcl', 'path "a" {\n  capabilities = ["read"\n}\n')).rejects.toThrow(/broken\.hcl.*line 3, column 1/);
    await expect(parseText('p.json', JSON.stringify({ policy: 'path "a" {' }))).rejects.toThrow(/\$\.policy: line 1/);
    const path = tempCase();
    const r = await cli('import', real('admin-policy.hcl'), '--case', path);
    expect(r.code).toBe(0);
    expect(JSON.parse((await cli('search', 'admin-policy', '--case', path, '--json')).out)[0].node.kind).toBe('vault_policy');
  });
});
