import { isObject } from '../model/fragment.js';
import { basename } from 'node:path';
import type { GraphFragment, JsonObject } from '../model/fragment.js';
import { ids } from '../model/ids.js';
import { HclSyntaxError, parseHcl } from '../providers/vault/hcl.js';
import { adminReasons, rulesOf } from '../providers/vault/policy.js';
import { ImportError } from './errors.js';
import type { Importer } from './types.js';

// Vault ACL policies as users hold them: the HCL file (`vault policy read NAME`, or the file kept in a
// repository), the sys/policy API payload {"policy": "<HCL>"}, or `vault read -format=json sys/policy/NAME`
// ({data: {name, rules}}). The policy's name comes from the payload when it carries one, else from the file name.

const PATH_BLOCK = /^\s*path\s+"[^"\n]*"\s*\{?\s*$/m;

export const vaultPolicy: Importer = {
  format: 'vault-policy',
  title: 'HashiCorp Vault ACL policy (HCL or the sys/policy JSON payload)',
  provider: 'vault',
  producedBy: 'vault policy read NAME; vault read -format=json sys/policy/NAME; policy files in repositories',
  emits: [],
  detect(probe) {
    if (!probe.looksJson) return PATH_BLOCK.test(probe.head) ? 0.9 : 0;
    return /"(policy|rules)"\s*:\s*"(\\n|\s|#)*path\s/.test(probe.head) ? 0.9 : 0;
  },
  parse(input) {
    const file = input.fileName;
    let text: string;
    let name = basename(file).replace(/\.(hcl|json|policy)$/i, '');
    let where = '';
    const trimmed = input.text().trimStart();
    if (trimmed.startsWith('{')) {
      const doc = input.json();
      const data = isObject(doc) && isObject(doc['data']) ? doc['data'] : doc;
      const key = isObject(data) ? (['policy', 'rules'] as const).find((k) => typeof data[k] === 'string') : undefined;
      if (!isObject(data) || !key) throw new ImportError(file, 'expected {"policy": "<HCL>"} or {"data": {"name": …, "rules": "<HCL>"}}', '$');
      text = data[key] as string;
      if (typeof data['name'] === 'string' && data['name']) name = data['name'];
      where = `${data === doc ? '$' : '$.data'}.${key}: `;
    } else text = input.text();

    let body;
    try {
      body = parseHcl(text);
    } catch (err) {
      if (err instanceof HclSyntaxError) throw new ImportError(file, `the policy is not valid HCL: ${err.message.replace(/ at line.*$/, '')}`, `${where}line ${err.line}, column ${err.column}`);
      throw err;
    }
    const { rules, problems } = rulesOf(body);
    const fragment: GraphFragment = { nodes: [], edges: [], warnings: problems.map((p) => ({ message: p.message, location: `${where}line ${p.line}` })) };
    if (rules.length === 0) throw new ImportError(file, 'the policy has no path rules', where ? where.replace(/: $/, '') : 'line 1');
    const admin = adminReasons(rules);
    fragment.nodes.push({
      id: ids.vaultPolicy(name),
      kind: 'vault_policy',
      name,
      handles: [name, `vault:${name}`],
      props: {
        rules: rules.map((r) => ({ path: r.path, capabilities: r.capabilities, line: r.line }) satisfies JsonObject),
        // Paths a token can read secrets from: what the policy exposes if a token holding it leaks.
        readablePaths: rules.filter((r) => r.capabilities.includes('read') && !r.capabilities.includes('deny')).map((r) => r.path),
        adminEquivalent: admin.length > 0,
        adminReasons: admin.map((a) => `${a.reason} (path "${a.rule.path}", line ${a.rule.line})`),
      },
    });
    return fragment;
  },
};

