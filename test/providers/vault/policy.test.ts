import { describe, expect, it } from 'vitest';
import { HclSyntaxError, parseHcl } from '../../../src/providers/vault/hcl.js';
import { adminReasons, governingRule, pathMatches, rulesOf } from '../../../src/providers/vault/policy.js';

describe('HCL 1 reader for Vault policies', () => {
  it('reads path blocks with the brace on the next line, comments of all three kinds, lists and nested blocks', () => {
    const body = parseHcl(`# comment
// another
/* block
   comment */
path "secret/app"
{
  capabilities = ["read", "list",]
  allowed_parameters = { "ttl" = [] }
  max_wrapping_ttl = "1h"
}
path "sys/*" { capabilities = ["deny"] }
`);
    expect(body.blocks.map((b) => [b.type, b.labels, b.line])).toEqual([
      ['path', ['secret/app'], 5],
      ['path', ['sys/*'], 11],
    ]);
    expect(body.blocks[0]!.body.attributes['capabilities']).toEqual(['read', 'list']);
    expect(body.blocks[0]!.body.attributes['max_wrapping_ttl']).toBe('1h');
  });

  it('reports the line and column of a syntax error', () => {
    const bad = () => parseHcl('path "a" {\n  capabilities = ["read"\n}\n');
    expect(bad).toThrow(HclSyntaxError);
    expect(bad).toThrow(/line 3, column 1/);
    expect(() => parseHcl('path "a" {\n  capabilities = ["read]\n}')).toThrow(/unterminated string at line 2/);
    expect(() => parseHcl('path "a" {')).toThrow(/file ended/);
  });
});

describe('Vault path rules', () => {
  it('matches trailing globs and + segments as Vault does', () => {
    expect(pathMatches('secret/*', 'secret/dev/db')).toBe(true);
    expect(pathMatches('secret/d*', 'secret/dev')).toBe(true);
    expect(pathMatches('secret/+/db', 'secret/dev/db')).toBe(true);
    expect(pathMatches('secret/+/db', 'secret/dev/other')).toBe(false);
    expect(pathMatches('secret/dev', 'secret/dev/db')).toBe(false);
    expect(pathMatches('secret/', 'secret/')).toBe(true);
  });

  it('lets the most specific rule govern, so a narrower deny beats a broad grant and the reverse', () => {
    const { rules } = rulesOf(parseHcl('path "sys/*" { capabilities = ["update", "sudo"] }\npath "sys/policies/acl/*" { capabilities = ["deny"] }\npath "sys/policy/*" { capabilities = ["deny"] }'));
    expect(governingRule(rules, 'sys/policies/acl/x')?.path).toBe('sys/policies/acl/*');
    expect(adminReasons(rules).map((r) => r.reason)).toEqual(['can enable authentication methods that issue tokens with any policy']);
    // without the narrower denies, sys/* alone lets the token rewrite policies
    expect(adminReasons(rules.slice(0, 1)).map((r) => r.reason)).toContain('can rewrite any ACL policy, including its own');
  });

  it('finds no takeover in a policy limited to secrets', () => {
    const { rules } = rulesOf(parseHcl('path "kv/data/*" { capabilities = ["create", "read", "update"] }'));
    expect(adminReasons(rules)).toEqual([]);
  });
});
