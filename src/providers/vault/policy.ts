// Vault ACL policy semantics needed offline: which rule governs a path, and whether a policy amounts to
// control of Vault itself.
import type { HclBody } from './hcl.js';

export interface VaultRule {
  path: string;
  capabilities: string[];
  line: number;
}

/**
 * The pre-0.5 `policy = "<level>"` of a path, which Vault still reads: the capabilities it stands for (added to any
 * `capabilities` list of the same path, as Vault does).
 */
const OLD_POLICY_LEVELS: Record<string, string[]> = {
  deny: ['deny'],
  read: ['read', 'list'],
  write: ['create', 'read', 'update', 'delete', 'list'],
  sudo: ['create', 'read', 'update', 'delete', 'list', 'sudo'],
};

/** Path rules of a parsed policy, in file order. Returns the rule and the place of anything unreadable. */
export function rulesOf(body: HclBody): { rules: VaultRule[]; problems: { line: number; message: string }[] } {
  const rules: VaultRule[] = [];
  const problems: { line: number; message: string }[] = [];
  for (const block of body.blocks) {
    if (block.type !== 'path') continue;
    const path = block.labels[0];
    const caps = block.body.attributes['capabilities'];
    const level = block.body.attributes['policy'];
    const old = typeof level === 'string' && Object.hasOwn(OLD_POLICY_LEVELS, level) ? OLD_POLICY_LEVELS[level]! : undefined;
    if (path === undefined) problems.push({ line: block.line, message: 'a path block needs the path in quotes' });
    else if (level !== undefined && !old) problems.push({ line: block.line, message: `path "${path}" has an unknown policy level ${JSON.stringify(level)} (deny, read, write or sudo)` });
    else if (caps === undefined && old) rules.push({ path, capabilities: [...old], line: block.line });
    else if (!Array.isArray(caps) || !caps.every((c) => typeof c === 'string')) problems.push({ line: block.line, message: `path "${path}" has no capabilities list` });
    else rules.push({ path, capabilities: old ? [...new Set([...(caps as string[]), ...old])] : (caps as string[]), line: block.line });
  }
  return { rules, problems };
}

/** Whether a rule path (with Vault's `+` segment and trailing `*` globs) covers a concrete path. */
export function pathMatches(pattern: string, path: string): boolean {
  const glob = pattern.endsWith('*');
  const patternSegments = (glob ? pattern.slice(0, -1) : pattern).split('/');
  const pathSegments = path.split('/');
  for (let i = 0; i < patternSegments.length; i++) {
    const want = patternSegments[i]!;
    const have = pathSegments[i];
    const last = i === patternSegments.length - 1;
    if (have === undefined) return false;
    if (want === '+') continue;
    if (last && glob) return have.startsWith(want);
    if (want !== have) return false;
  }
  return glob || pathSegments.length === patternSegments.length;
}

/**
 * The rule Vault applies to a path: of the rules that match, the most specific (Vault compares the first
 * wildcard's position, then globs, then `+` count, then length; this keeps the first two, which decide every
 * case that occurs in practice).
 */
export function governingRule(rules: VaultRule[], path: string): VaultRule | undefined {
  let best: VaultRule | undefined;
  for (const rule of rules) {
    if (!pathMatches(rule.path, path)) continue;
    if (!best || specificity(rule.path) > specificity(best.path)) best = rule;
  }
  return best;
}

function specificity(pattern: string): number {
  const firstWildcard = [pattern.indexOf('+'), pattern.indexOf('*')].filter((i) => i >= 0);
  const position = firstWildcard.length > 0 ? Math.min(...firstWildcard) : pattern.length + 1;
  return position * 2 + (pattern.endsWith('*') ? 0 : 1);
}

export function allows(rules: VaultRule[], path: string, capability: string): VaultRule | undefined {
  const rule = governingRule(rules, path);
  return rule && !rule.capabilities.includes('deny') && rule.capabilities.includes(capability) ? rule : undefined;
}

/** Ways a token with this policy takes over Vault, each with the rule that allows it. */
export function adminReasons(rules: VaultRule[]): { reason: string; rule: VaultRule }[] {
  const checks: [string, string, string][] = [
    ['sys/policies/acl/any-policy', 'update', 'can rewrite any ACL policy, including its own'],
    ['sys/policy/any-policy', 'update', 'can rewrite any ACL policy, including its own'],
    ['sys/auth/new-method', 'sudo', 'can enable authentication methods that issue tokens with any policy'],
    ['auth/token/create-orphan', 'sudo', 'can create orphan tokens with any policy'],
    ['identity/entity/any', 'update', 'can attach any policy to identity entities'],
  ];
  const out: { reason: string; rule: VaultRule }[] = [];
  for (const [path, capability, reason] of checks) {
    const rule = allows(rules, path, capability) ?? (capability === 'update' ? allows(rules, path, 'create') : undefined);
    if (rule && !out.some((o) => o.reason === reason)) out.push({ reason, rule });
  }
  return out;
}
