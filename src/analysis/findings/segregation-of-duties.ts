import type { Evidence } from '../../model/fragment.js';
import { reads, NON_OPENGRAPH_KINDS } from '../reads.js';
import type { NodeKind } from '../../model/kinds.js';
import type { StoredNode } from '../../store/case-store.js';
import type { DerivedOrStoredEdge } from '../edges/types.js';
import { adminPrincipals, byId, edgeEvidence, effectiveEdges, label, WORKLOAD_IDENTITY_KINDS, type FindingContext, MEMBERS_OF_RULED_GROUPS } from './common.js';
import { SOD_RULES, type Capability } from './sod-rules.js';
import type { FindingDraft, FindingRule } from './types.js';

const IDENTITY_KINDS: ReadonlySet<NodeKind> = new Set(WORKLOAD_IDENTITY_KINDS);

type Held = Capability & { edge: DerivedOrStoredEdge };

/** A capability whose target node is read only when a rule asks for it (most rules never do). */
function capability(ctx: FindingContext, edge: DerivedOrStoredEdge): Held {
  let target: StoredNode | undefined | null = null;
  return {
    kind: edge.kind,
    targetId: edge.dst,
    props: edge.props,
    edge,
    get target() {
      if (target === null) target = ctx.node(edge.dst);
      return target;
    },
  };
}

/** One identity holding both sides of a segregation-of-duties rule (sod-rules.ts). */
export const segregationOfDuties: FindingRule = {
  id: 'segregation-of-duties',
  title: 'Segregation-of-duties conflict',
  severity: 'high',
  description: 'One identity can do two things that should need two people (or two pipelines), e.g. change IAM and read production data, or deploy and approve.',
  remediation: 'Split the two capabilities across separate identities, each used by a different person or pipeline, so that one stolen credential cannot do both.',
  reads: reads({ nodes: NON_OPENGRAPH_KINDS, edges: ['CAN_ACCESS', 'CAN_ESCALATE', 'ADMIN_OF', 'MEMBER_OF'], edgeEnds: MEMBERS_OF_RULED_GROUPS }),
  run(ctx) {
    // Admin-equivalent identities can do anything; the admin findings already report them.
    const admins = adminPrincipals(ctx);
    const out: FindingDraft[] = [];
    for (const [id, edges] of effectiveEdges(ctx, ['CAN_ACCESS', 'CAN_ESCALATE'])) {
      if (admins.has(id)) continue;
      const n = ctx.node(id);
      if (!n || n.stub || !IDENTITY_KINDS.has(n.kind)) continue;
      // In a fixed order (target, kind, holder: one edge each), not the order the edges were read in, which differs
      // between a full derivation and an incremental one: the finding cites the first three of each side.
      const caps = edges.map((e) => capability(ctx, e)).sort((x, y) => byId(x.edge.dst, y.edge.dst) || byId(x.edge.kind, y.edge.kind) || byId(x.edge.src, y.edge.src));
      for (const rule of SOD_RULES) {
        // Side b only when side a holds: its tests may read the target nodes (tags, names), one lookup per edge.
        const a = caps.filter((c) => rule.a.test(c));
        if (!a.length) continue;
        const b = caps.filter((c) => rule.b.test(c));
        if (!b.length) continue;
        const evidence: Evidence[] = [...a.slice(0, 3), ...b.slice(0, 3)].flatMap((c) => edgeEvidence(c.edge, ctx));
        out.push({
          nodeId: n.id,
          title: `${label(n)} can both ${rule.a.label} and ${rule.b.label}`,
          summary: `${n.name} can ${rule.a.label} (${a.map((c) => c.target?.name ?? c.targetId).slice(0, 3).join(', ')}) and ${rule.b.label} (${b.map((c) => c.target?.name ?? c.targetId).slice(0, 3).join(', ')}): ${rule.why}. Rule ${rule.id}.`,
          evidence,
          severity: rule.severity,
        });
      }
    }
    return out;
  },
};
