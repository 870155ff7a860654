import { isObject } from '../model/fragment.js';
import { basename } from 'node:path';
import type { GraphFragment, JsonObject } from '../model/fragment.js';
import { ids } from '../model/ids.js';
import { HclSyntaxError, parseHcl, type HclBlock, type HclBody } from '../providers/vault/hcl.js';
import { adminReasons, rulesOf } from '../providers/vault/policy.js';
import { ImportError } from './errors.js';
import type { Importer } from './types.js';

// Vault ACL policies as users hold them: the HCL file (`vault policy read NAME`, or the file kept in a
// repository), the sys/policy API payload {"policy": "<HCL>"}, or `vault read -format=json sys/policy/NAME`
// ({data: {name, rules}}). The policy's name comes from the payload when it carries one, else from the file name.
// Vault also takes a policy written in HCL's JSON form ({"path": {"<glob>": {"capabilities": […]}}}), as a file
// (`vault policy write NAME policy.json`) or as the payload's string.

const PATH_BLOCK = /^\s*path\s+"[^"\n]*"\s*\{?\s*$/m;

export const vaultPolicy: Importer = {
  format: 'vault-policy',
  title: 'HashiCorp Vault ACL policy (HCL or the sys/policy JSON payload)',
  provider: 'vault',
  producedBy: 'vault policy read NAME; vault read -format=json sys/policy/NAME; policy files in repositories',
  emits: [],
  detect(probe) {
    if (!probe.looksJson) return PATH_BLOCK.test(probe.head) ? 0.9 : 0;
    if (/"(policy|rules)"\s*:\s*"(\\n|\s|#)*path\s/.test(probe.head)) return 0.9;
    // The JSON form, as a file or as the payload's string.
    if (/^\s*\{\s*"path"\s*:\s*[{[]\s*\{?\s*"[^"]*"\s*:\s*\{\s*"(capabilities|policy)"\s*:/.test(probe.head)) return 0.9;
    return /"(policy|rules)"\s*:\s*"(\\n|\s)*\{(\\n|\s)*\\"path\\"\s*:/.test(probe.head) ? 0.9 : 0;
  },
  parse(input) {
    const file = input.fileName;
    let text = input.text();
    let name = basename(file).replace(/\.(hcl|json|policy)$/i, '');
    let where = '';
    // The policy in HCL's JSON form, when it is written so.
    let jsonForm: unknown;
    if (text.trimStart().startsWith('{')) {
      const doc = input.json();
      const data = isObject(doc) && isObject(doc['data']) ? doc['data'] : doc;
      const key = isObject(data) ? (['policy', 'rules'] as const).find((k) => typeof data[k] === 'string') : undefined;
      if (isObject(doc) && doc['path'] !== undefined && !key) jsonForm = doc;
      else {
        if (!isObject(data) || !key) throw new ImportError(file, 'expected {"policy": "<HCL>"}, {"data": {"name": …, "rules": "<HCL>"}} or {"path": {"<path>": {"capabilities": […]}}}', '$');
        text = data[key] as string;
        if (typeof data['name'] === 'string' && data['name']) name = data['name'];
        where = `${data === doc ? '$' : '$.data'}.${key}: `;
        if (text.trimStart().startsWith('{')) jsonForm = parseJsonForm(file, text, where);
      }
    }

    let body;
    if (jsonForm !== undefined) body = jsonFormBody(file, jsonForm, text, where);
    else {
      try {
        body = parseHcl(text);
      } catch (err) {
        if (err instanceof HclSyntaxError) throw new ImportError(file, `the policy is not valid HCL: ${err.message.replace(/ at line.*$/, '')}`, `${where}line ${err.line}, column ${err.column}`);
        throw err;
      }
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


/** The payload's string when it holds the JSON form. */
function parseJsonForm(file: string, text: string, where: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new ImportError(file, 'the policy starts as JSON but is not valid JSON', `${where}line 1`);
  }
}

/**
 * The JSON form read as the HCL blocks it stands for: {"path": {"<glob>": {…}}}, or HCL's list form
 * {"path": [{"<glob>": {…}}, …]}. Each rule's line is where its path is first written in the text.
 */
function jsonFormBody(file: string, doc: unknown, text: string, where: string): HclBody {
  const paths = isObject(doc) ? doc['path'] : undefined;
  const groups = Array.isArray(paths) ? paths : [paths];
  if (!groups.every(isObject)) throw new ImportError(file, 'expected "path" to map each path to its rule ({"path": {"secret/*": {"capabilities": [...]}}})', `${where}$.path`);
  const blocks: HclBlock[] = [];
  for (const group of groups as Record<string, unknown>[]) {
    for (const path of Object.keys(group)) {
      const rule = group[path];
      const bodies = Array.isArray(rule) ? rule : [rule];
      for (const b of bodies) {
        const attributes = isObject(b) ? (b as Record<string, HclBody['attributes'][string]>) : {};
        blocks.push({ type: 'path', labels: [path], body: { attributes, blocks: [] }, line: lineOf(text, JSON.stringify(path)) });
      }
    }
  }
  return { attributes: {}, blocks };
}

/** The 1-based line of the first `"key":` in the text (1 when it is written with other escapes). */
function lineOf(text: string, quotedKey: string): number {
  const m = new RegExp(`${quotedKey.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*:`).exec(text);
  if (!m) return 1;
  let line = 1;
  for (let i = 0; i < m.index; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}
