// Building blocks for rules' read declarations (RuleReads in edges/types.ts): kind lists by category, and the reads
// of shared models (the AWS model, the Kubernetes RBAC model) a rule inherits by using them.
import { EDGE_KINDS, NODE_KINDS, type EdgeKind, type NodeCategory, type NodeKind, type Provider } from '../model/kinds.js';
import type { RuleReads } from './edges/types.js';

/** Node kinds of some categories, of every provider but BloodHound OpenGraph (no rule gives its nodes edges). */
export function kindsOf(categories: readonly NodeCategory[]): NodeKind[] {
  return NON_OPENGRAPH_KINDS.filter((k) => categories.includes(NODE_KINDS[k].category));
}

/** Every node kind but BloodHound OpenGraph's (which no rule gives edges to). */
export const NON_OPENGRAPH_KINDS: NodeKind[] = (Object.keys(NODE_KINDS) as NodeKind[]).filter((k) => NODE_KINDS[k].provider !== 'opengraph');

/** Every node kind of these providers. */
export function kindsOfProviders(...providers: Provider[]): NodeKind[] {
  return (Object.keys(NODE_KINDS) as NodeKind[]).filter((k) => providers.includes(NODE_KINDS[k].provider));
}


export const ALL_EDGE_KINDS = Object.keys(EDGE_KINDS) as EdgeKind[];

/** The union of read declarations. */
export function reads(...parts: Partial<RuleReads>[]): RuleReads {
  const nodes = new Set<NodeKind>();
  const edges = new Set<EdgeKind>();
  const at = new Set<NodeKind>();
  const out: RuleReads = { nodes: [], edges: [] };
  // A kind one part reads everywhere is read everywhere, whatever another part restricts it to.
  const everywhere = new Set<NodeKind>();
  const within = new Map<NodeKind, Set<string>>();
  for (const p of parts) {
    for (const k of p.nodes ?? []) {
      nodes.add(k);
      const prefixes = p.nodesWithin?.[k];
      if (!prefixes) everywhere.add(k);
      else {
        const set = within.get(k) ?? new Set<string>();
        for (const prefix of prefixes) set.add(prefix);
        within.set(k, set);
      }
    }
    for (const k of p.edges ?? []) edges.add(k);
    for (const k of p.edgesAt ?? []) at.add(k);
    if (p.now === true) out.now = true;
    else if (p.now && out.now !== true) out.now = { mentions: [...new Set([...(out.now ? out.now.mentions : []), ...p.now.mentions])] };
    if (p.edgeEnds) out.edgeEnds = { ...(out.edgeEnds ?? {}), ...p.edgeEnds };
    if (p.perBoundary) out.perBoundary = { across: [...(out.perBoundary?.across ?? []), ...(p.perBoundary.across ?? [])] };
  }
  out.nodes = [...nodes];
  const restricted = [...within].filter(([k]) => !everywhere.has(k));
  if (restricted.length) out.nodesWithin = Object.fromEntries(restricted.map(([k, prefixes]) => [k, [...prefixes]]));
  out.edges = [...edges];
  if (at.size) out.edgesAt = [...at];
  return out;
}
