// Shared reading helpers for finding rules: credential state, ages, holders and admin-equivalence.
import type { Evidence, Json, JsonObject } from '../../model/fragment.js';
import { NODE_KINDS, type EdgeKind, type NodeKind } from '../../model/kinds.js';
import type { FindingRow, StoredNode } from '../../store/case-store.js';
import type { DerivedOrStoredEdge, RuleReads } from '../edges/types.js';
import type { FindingDraft, FindingRule, Severity } from './types.js';
import { citedProps, formBody, formTitle, propsPiece, type FindingForm } from '../../model/finding-forms.js';
import { Glob } from '../../model/glob.js';

export type FindingContext = Parameters<FindingRule['run']>[0];

export const DAY_MS = 86_400_000;
/** The age past which a key or an unused credential is reported. */
export const STALE_DAYS = 90;

export const CREDENTIAL_KINDS = (Object.keys(NODE_KINDS) as NodeKind[]).filter((k) => NODE_KINDS[k].category === 'credential');
/** Credentials that are keys (as opposed to passwords, tokens issued by a platform, federation trusts). */
export const KEY_KINDS: readonly NodeKind[] = ['aws_access_key', 'gcp_sa_key', 'azure_client_secret', 'azure_certificate'];
/** The non-human identities a person creates and answers for (users, roles, service accounts, apps). */
export const WORKLOAD_IDENTITY_KINDS: readonly NodeKind[] = ['aws_user', 'aws_role', 'k8s_service_account', 'gcp_service_account', 'azure_application', 'azure_service_principal', 'azure_managed_identity'];

/** Membership edges the finding rules follow: into the groups of cloud providers and clusters (not OpenGraph groups, which hold no derived rights). */
export const MEMBERS_OF_RULED_GROUPS: NonNullable<RuleReads['edgeEnds']> = { MEMBER_OF: { to: ['aws_group', 'gcp_group', 'azure_group', 'k8s_group'] } };
const RULED_GROUP_KINDS: ReadonlySet<NodeKind> = new Set(MEMBERS_OF_RULED_GROUPS['MEMBER_OF']!.to);

export function* nodesOf(ctx: FindingContext, kinds: readonly NodeKind[]): Iterable<StoredNode> {
  for (const k of kinds) for (const n of ctx.nodesOfKind(k)) if (!n.stub) yield n;
}

/** Unknown counts as active: a credential is only known inactive when its source says so. */
export function isActive(n: StoredNode): boolean {
  const p = n.props;
  return p['active'] !== false && p['status'] !== 'Inactive';
}

/** Whole days from an ISO time to now; undefined when the time is absent or unreadable. */
export function daysSince(value: Json | undefined, now: Date): number | undefined {
  if (typeof value !== 'string') return undefined;
  const t = Date.parse(value);
  return Number.isNaN(t) ? undefined : Math.floor((now.getTime() - t) / DAY_MS);
}

export function label(n: StoredNode): string {
  const kind = NODE_KINDS[n.kind].label;
  // A name that already says what it is ("console password of alice") is not prefixed with its kind again.
  if (n.name.toLowerCase().startsWith(kind.toLowerCase())) return `${kind}${n.name.slice(kind.length)}`;
  return `${kind} ${n.name}`;
}

/** Evidence citing the node properties a finding rests on. */
export function propsEvidence(n: StoredNode, keys: readonly string[]): Evidence {
  return propsPiece(label(n), keys, citedProps(n.props, keys));
}

/** A finding whose text a form makes from the node's cited props (`keys`): stored as the form, its text built again when read. */
export function formed(n: StoredNode, keys: readonly string[], make: (data: JsonObject) => FindingForm, severity?: Severity): FindingDraft {
  return new FormedDraft(n.id, make(citedProps(n.props, keys)), severity);
}

/**
 * A draft made from a form: its title now (its id is made from it), its summary and evidence when asked (the store
 * keeps the form, so an import never builds them: tens of thousands of strings and objects for a large account).
 */
export class FormedDraft implements FindingDraft {
  readonly title: string;
  readonly severity?: Severity;
  private body: { summary: string; evidence: Evidence[] } | undefined;
  constructor(
    readonly nodeId: string,
    readonly form: FindingForm,
    severity?: Severity,
  ) {
    this.title = formTitle(form);
    if (severity) this.severity = severity;
  }
  get summary(): string {
    return (this.body ??= formBody(this.form)).summary;
  }
  get evidence(): Evidence[] {
    return (this.body ??= formBody(this.form)).evidence;
  }
}

/** The stored row of a formed finding: its summary and evidence asked of the draft only if read (the store keeps the form). */
export class FormedRow implements FindingRow {
  readonly nodeId: string;
  readonly title: string;
  constructor(
    readonly id: string,
    readonly rule: string,
    readonly severity: string,
    private readonly draft: FindingDraft,
    readonly remediation: string,
    readonly form: FindingForm,
  ) {
    this.nodeId = draft.nodeId;
    this.title = draft.title;
  }
  get summary(): string {
    return this.draft.summary;
  }
  get evidence(): Evidence[] {
    return this.draft.evidence;
  }
}

/** An edge's own evidence, or a line naming it when it has none. */
export function edgeEvidence(e: DerivedOrStoredEdge, ctx: FindingContext): Evidence[] {
  if (Array.isArray(e.props.evidence) && e.props.evidence.length) return e.props.evidence;
  const from = ctx.node(e.src)?.name ?? e.src;
  const to = ctx.node(e.dst)?.name ?? e.dst;
  return [{ type: 'edge', summary: `${from} ${e.kind} ${to}${e.props.reason ? `: ${e.props.reason}` : ''}`, ...(typeof e.props.at === 'string' ? { location: e.props.at } : {}) }];
}

/** The identities a credential authenticates as (once each: two sources may state the same edge). */
export function holders(ctx: FindingContext, credentialId: string): string[] {
  // One pass over the AUTHENTICATES_AS edges instead of a query per credential (an estate has tens of thousands).
  // A list per credential in the order first met, each holder once (a credential has one or two: no set for each).
  const byCredential = ctx.memo('findings:holders', () => {
    const map = new Map<string, string[]>();
    // The holders of a credential that has many, as a set too (looking through a long list for each is quadratic).
    const many = new Map<string, Set<string>>();
    // Only the ends: a credential import's holders were most of its findings' time when read as whole edges.
    const ends = ctx.edgeEndsOfKind ? ctx.edgeEndsOfKind('AUTHENTICATES_AS') : (function* () {
      for (const e of ctx.edgesOfKind('AUTHENTICATES_AS')) yield [e.src, e.dst] as const;
    })();
    for (const [src, dst] of ends) {
      const list = map.get(src);
      if (!list) map.set(src, [dst]);
      else if (list.length < 16) {
        if (!list.includes(dst)) list.push(dst);
      } else {
        let set = many.get(src);
        if (!set) many.set(src, (set = new Set(list)));
        if (!set.has(dst)) {
          set.add(dst);
          list.push(dst);
        }
      }
    }
    return map;
  });
  const list = byCredential.get(credentialId);
  return list ? [...list] : [];
}

/**
 * The direct members of a group, asked of the group (its incoming MEMBER_OF edges) and kept for the run. Reading
 * every MEMBER_OF edge of the case instead cost 8 s of a 2M-edge import whose directory tenants hold most of them,
 * while the rules ask about the few groups that hold rights. Finding rules run after every edge rule, so each sees
 * the same memberships whichever asks first.
 */
function membersOf(ctx: FindingContext, group: string): readonly string[] {
  return ctx.memo(`findings:members:${group}`, () => ctx.in(group, 'MEMBER_OF').map((e) => e.src));
}

/** Ids in code-point order: a fixed order for what rules cite, whatever order the edges were read in. */
export const byId = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Admin-equivalent principals: whoever has an ADMIN_OF edge, and every member (directly or through nested
 * groups) of a group that has one. Value: the ADMIN_OF edges that make it so.
 */
export function adminPrincipals(ctx: FindingContext): Map<string, DerivedOrStoredEdge[]> {
  return ctx.memo('findings:admin-principals', () => {
    const out = new Map<string, DerivedOrStoredEdge[]>();
    for (const e of ctx.edgesOfKind('ADMIN_OF')) {
      const list = out.get(e.src) ?? [];
      list.push(e);
      out.set(e.src, list);
    }
    // Whatever order the edges were read in (a full derivation reads earlier rules' edges from memory, an incremental
    // one from rows): each list by admin node, and a member of several admin groups takes the nearest, ties by id.
    for (const list of out.values()) list.sort((a, b) => byId(a.dst, b.dst));
    let frontier = [...out.keys()].sort(byId);
    while (frontier.length) {
      const next: string[] = [];
      for (const group of frontier) {
        const list = out.get(group)!;
        for (const m of [...membersOf(ctx, group)].sort(byId)) {
          if (out.has(m)) continue;
          out.set(m, list);
          next.push(m);
        }
      }
      frontier = next;
    }
    return out;
  });
}

/**
 * What each principal can do: edges of the given kinds leaving it or any group it belongs to (nested groups
 * included), its own first. Built once from the edges rather than per identity, since few principals hold any.
 */
export function effectiveEdges(ctx: FindingContext, kinds: readonly EdgeKind[]): Map<string, DerivedOrStoredEdge[]> {
  return ctx.memo(`findings:effective:${kinds.join(',')}`, () => {
    const own = new Map<string, DerivedOrStoredEdge[]>();
    for (const kind of kinds) {
      for (const e of ctx.edgesOfKind(kind)) {
        const list = own.get(e.src);
        if (list) list.push(e);
        else own.set(e.src, [e]);
      }
    }
    const out = new Map<string, DerivedOrStoredEdge[]>([...own].map(([id, list]) => [id, [...list]]));
    // Only groups of the kinds the rules follow have members (MEMBERS_OF_RULED_GROUPS): most holders are users,
    // roles and service accounts, and asking each of them for members was a query per identity.
    const isGroup = (id: string) => {
      const kind = ctx.node(id)?.kind;
      return kind !== undefined && RULED_GROUP_KINDS.has(kind);
    };
    for (const [holder, list] of own) {
      if (!isGroup(holder)) continue;
      const seen = new Set<string>([holder]);
      const members = [holder];
      while (members.length) {
        for (const m of membersOf(ctx, members.pop()!)) {
          if (seen.has(m)) continue;
          seen.add(m);
          if (isGroup(m)) members.push(m);
          const mine = out.get(m);
          if (mine) mine.push(...list);
          else out.set(m, [...list]);
        }
      }
    }
    return out;
  });
}

/** Owner recorded on an identity: props.owner, or an owner-like tag or label. */
export function ownerOf(n: StoredNode): string | undefined {
  const owner = n.props['owner'];
  if (typeof owner === 'string' && owner.trim()) return owner;
  const tags = n.props['tags'];
  if (tags && typeof tags === 'object' && !Array.isArray(tags)) {
    for (const [k, v] of Object.entries(tags)) if (/^(owner|team|contact|owned[-_]?by|maintainer)$/i.test(k) && typeof v === 'string' && v.trim()) return v;
  }
  return undefined;
}

/** Statements of a policy document, however it was written (object or array). */
export function statements(doc: Json | undefined): JsonObject[] {
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) return [];
  const s = doc['Statement'];
  if (Array.isArray(s)) return s.filter((x): x is JsonObject => Boolean(x) && typeof x === 'object' && !Array.isArray(x));
  return s && typeof s === 'object' ? [s] : [];
}

export function asList(v: Json | undefined): string[] {
  if (typeof v === 'string') return [v];
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

const actionPatterns = new Map<string, Glob | string>();
const MAX_PATTERNS = 50_000;

/** Whether an IAM action pattern (with * and ?) grants the action. */
export function actionMatches(pattern: string, action: string): boolean {
  // Compiled once per pattern: finding rules test the same few patterns against every edge of every identity.
  let compiled = actionPatterns.get(pattern);
  if (compiled === undefined) {
    compiled = /[*?]/.test(pattern) ? new Glob(pattern, { caseInsensitive: true }) : pattern.toLowerCase();
    if (actionPatterns.size >= MAX_PATTERNS) actionPatterns.clear();
    actionPatterns.set(pattern, compiled);
  }
  return typeof compiled === 'string' ? compiled === action.toLowerCase() : compiled.test(action);
}
