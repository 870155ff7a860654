import { isObject } from '../../model/fragment.js';
import { flat } from '../../model/flat.js';
import type { DeriveContext, RuleReads } from '../../analysis/edges/types.js';
import type { Evidence, Json, JsonObject } from '../../model/fragment.js';
import { ids } from '../../model/ids.js';
import type { StoredNode } from '../../store/case-store.js';

// Kubernetes RBAC as the API server's authorizer evaluates it (k8s.io/kubernetes plugin/pkg/auth/authorizer/rbac):
// a request (verb, API group, resource[/subresource], name, namespace) is allowed when a binding in scope names
// the subject and a rule of its role matches. RBAC only adds permissions: there is no deny. A RoleBinding grants
// its role's rules inside its own namespace only, so cluster-scoped resources (nodes, users, groups, cluster roles)
// are reachable only through ClusterRoleBindings.

/** ServiceAccount annotations that link it to a cloud identity, and the node props they are stored under. */
export const K8S_ANNOTATIONS = {
  'eks.amazonaws.com/role-arn': 'awsRoleArn',
  'eks.amazonaws.com/audience': 'awsAudience',
  'iam.gke.io/gcp-service-account': 'gcpServiceAccount',
  'azure.workload.identity/client-id': 'azureClientId',
  'azure.workload.identity/tenant-id': 'azureTenantId',
} as const;

/** The user name the API server gives a service account's token. */
export function saUserName(ns: string, name: string): string {
  return flat`system:serviceaccount:${ns}:${name}`;
}

export interface PolicyRule {
  verbs: string[];
  apiGroups: string[];
  resources: string[];
  resourceNames: string[];
  nonResourceURLs: string[];
  /** The rule as written, for evidence. */
  raw: Json;
}

export interface RoleRule {
  rule: PolicyRule;
  /** The role that states the rule (an aggregated ClusterRole's rules come from the roles it selects). */
  role: RoleInfo;
  index: number;
}

export interface RoleInfo {
  id: string;
  name: string;
  kind: 'Role' | 'ClusterRole';
  namespace?: string;
  labels: Record<string, string>;
  own: PolicyRule[];
  /** Own rules plus, for aggregated ClusterRoles, the rules of every ClusterRole its selectors match. */
  rules: RoleRule[];
  aggregatedFrom: string[];
  location?: string;
  /** Not in the case: a well-known built-in role's rules are assumed. */
  builtIn: boolean;
  aggregationRule?: JsonObject;
  /** An EKS access policy (its ARN) read as a ClusterRole: its bindings are the policy's associations. */
  accessPolicy?: string;
}

export interface Binding {
  subject: string;
  role: RoleInfo;
  kind: 'RoleBinding' | 'ClusterRoleBinding';
  name: string;
  /** The RoleBinding's namespace; undefined = cluster-wide. */
  namespace?: string;
  location?: string;
  /** Evidence of the binding, and of each of its rules' grants (filled by grantEvidence, once). */
  evidence?: Evidence;
  grantEvidence?: Map<RoleRule, Evidence[]>;
}

export interface Runner {
  node: StoredNode;
  sa: string;
  tokenMounted: boolean;
  /** A pod whose phase is not Running (Pending, Succeeded, Failed) has no container to enter; unknown counts as running. */
  running: boolean;
  namespace: string;
  /** Its evidence (filled by runnerEvidence, once; its place read from the node's props then). */
  evidence?: Evidence;
}

export interface ClusterModel {
  id: string;
  name: string;
  adminId: string;
  roles: Map<string, RoleInfo>;
  bindings: Binding[];
  serviceAccounts: Map<string, StoredNode[]>;
  tokens: Map<string, StoredNode[]>;
  secrets: Map<string, StoredNode[]>;
  /** Pods and workloads, by namespace, with the service account they run as. */
  runners: Map<string, Runner[]>;
  users: StoredNode[];
  groups: StoredNode[];
}

export interface RbacModel {
  clusters: Map<string, ClusterModel>;
  /** Grants cached by request key. */
  cache: Map<string, Grant[]>;
  /**
   * Subjects bound cluster-wide to "*" on "*": their ADMIN_OF edge already says they own the cluster, so the
   * other rules do not list every account they could also reach.
   */
  clusterAdmins: Set<string>;
}

export interface Request {
  verb: string;
  group: string;
  resource: string;
  subresource?: string;
  /** Cluster-scoped resources are granted by ClusterRoleBindings only. */
  clusterScoped?: boolean;
}

/** One way a subject holds a permission: the binding, the rule, and where it applies. */
export interface Grant {
  subject: string;
  cluster: ClusterModel;
  binding: Binding;
  rule: RoleRule;
  /** undefined = every namespace (and cluster-scoped objects). */
  namespace?: string;
  /** undefined = any object; else only these names (the rule's resourceNames). */
  names?: string[];
  request: Request;
}

/** The built-in cluster-admin ClusterRole, assumed when a binding names it but the role itself was not exported. */
const BUILT_IN: Record<string, Json[]> = {
  'cluster-admin': [
    { apiGroups: ['*'], resources: ['*'], verbs: ['*'] },
    { nonResourceURLs: ['*'], verbs: ['*'] },
  ],
};

/**
 * What the RBAC model reads (a rule using it declares these), cluster by cluster: clusters, roles, bindings
 * (HAS_ROLE), accounts, their tokens and secrets, users and groups, pods and workloads. Rules built on it alone work
 * per cluster.
 */
export const K8S_MODEL_READS: Partial<RuleReads> = {
  nodes: ['k8s_cluster', 'k8s_role', 'k8s_service_account', 'k8s_sa_token', 'k8s_secret', 'k8s_user', 'k8s_group', 'k8s_pod', 'k8s_workload'],
  edges: ['HAS_ROLE'],
  perBoundary: {},
};

export function rbacModel(ctx: DeriveContext): RbacModel {
  return ctx.memo('k8s-rbac', () => buildModel(ctx));
}

function buildModel(ctx: DeriveContext): RbacModel {
  const clusters = new Map<string, ClusterModel>();
  for (const c of ctx.nodesOfKind('k8s_cluster')) {
    clusters.set(c.id, { id: c.id, name: c.name, adminId: ids.admin(c.id), roles: new Map(), bindings: [], serviceAccounts: new Map(), tokens: new Map(), secrets: new Map(), runners: new Map(), users: [], groups: [] });
  }
  const clusterOf = (n: StoredNode) => (n.boundary ? clusters.get(n.boundary) : undefined);
  const push = <T>(map: Map<string, T[]>, key: string, value: T) => {
    const list = map.get(key);
    if (list) list.push(value);
    else map.set(key, [value]);
  };
  const namespaceIn = (p: Record<string, unknown>) => (typeof p['namespace'] === 'string' ? p['namespace'] : '');
  const nsOf = (n: StoredNode) => namespaceIn(n.props);

  for (const r of ctx.nodesOfKind('k8s_role')) {
    const c = clusterOf(r);
    if (!c) continue;
    const kind = r.props['roleKind'] === 'Role' ? 'Role' : 'ClusterRole';
    const plain = r.name.includes('/') ? r.name.slice(r.name.indexOf('/') + 1) : r.name;
    const builtIn = r.stub && kind === 'ClusterRole' && Object.hasOwn(BUILT_IN, plain);
    const rawRules = builtIn ? BUILT_IN[plain]! : Array.isArray(r.props['rules']) ? r.props['rules'] : [];
    const info: RoleInfo = {
      id: r.id,
      name: plain,
      kind,
      ...(kind === 'Role' ? { namespace: nsOf(r) } : {}),
      labels: isStringMap(r.props['labels']) ? r.props['labels'] : {},
      own: rawRules.map(toRule),
      rules: [],
      aggregatedFrom: [],
      ...(typeof r.props['at'] === 'string' ? { location: `${String(r.props['sourceFile'] ?? '')} ${r.props['at']}`.trim() } : {}),
      builtIn,
      ...(isObject(r.props['aggregationRule']) ? { aggregationRule: r.props['aggregationRule'] } : {}),
      ...(typeof r.props['eksAccessPolicy'] === 'string' ? { accessPolicy: r.props['eksAccessPolicy'] } : {}),
    };
    info.rules = info.own.map((rule, index) => ({ rule, role: info, index }));
    c.roles.set(r.id, info);
  }
  for (const c of clusters.values()) aggregate(c);

  const roleHome = new Map<string, ClusterModel>();
  for (const c of clusters.values()) for (const id of c.roles.keys()) roleHome.set(id, c);
  for (const e of ctx.edgesOfKind('HAS_ROLE')) {
    const c = roleHome.get(e.dst);
    const info = c?.roles.get(e.dst);
    if (!c || !info) continue;
    const p = e.props;
    c.bindings.push({
      subject: e.src,
      role: info,
      kind: p['bindingKind'] === 'RoleBinding' ? 'RoleBinding' : 'ClusterRoleBinding',
      name: typeof p['binding'] === 'string' ? p['binding'] : '?',
      // Every field in the literal, set or not (tens of thousands of bindings; the evidence is filled later).
      namespace: p['bindingKind'] === 'RoleBinding' && typeof p['namespace'] === 'string' ? p['namespace'] : undefined,
      location: typeof p.at === 'string' ? `${String(p['sourceFile'] ?? '')} ${p.at}`.trim() : undefined,
      evidence: undefined,
      grantEvidence: undefined,
    });
  }
  for (const sa of ctx.nodesOfKind('k8s_service_account')) {
    const c = clusterOf(sa);
    if (c) push(c.serviceAccounts, nsOf(sa), sa);
  }
  for (const t of ctx.nodesOfKind('k8s_sa_token')) {
    const c = clusterOf(t);
    if (c) push(c.tokens, nsOf(t), t);
  }
  for (const s of ctx.nodesOfKind('k8s_secret')) {
    const c = clusterOf(s);
    if (c) push(c.secrets, nsOf(s), s);
  }
  for (const u of ctx.nodesOfKind('k8s_user')) clusterOf(u)?.users.push(u);
  for (const g of ctx.nodesOfKind('k8s_group')) clusterOf(g)?.groups.push(g);
  // The importer writes the account a pod or workload runs as (and whether its token is mounted) on the node as
  // well as on its RUNS_AS edge; reading the props saves reading every RUNS_AS edge back.
  // Tens of thousands of pods run as a few accounts per namespace: one id string per account, not one per pod.
  const saIds = new Map<ClusterModel, Map<string, Map<string, string>>>();
  const saId = (c: ClusterModel, ns: string, account: string) => {
    let byNs = saIds.get(c);
    if (!byNs) saIds.set(c, (byNs = new Map()));
    let byName = byNs.get(ns);
    if (!byName) byNs.set(ns, (byName = new Map()));
    let id = byName.get(account);
    if (id === undefined) byName.set(account, (id = ids.k8sObject(c.name, ns, 'serviceaccount', account)));
    return id;
  };
  // Nearly every pod of a cluster is in the same one: its boundary (a new string per row read) is compared, not hashed.
  let lastBoundary: string | null = null;
  let lastCluster: ClusterModel | undefined;
  for (const kind of ['k8s_pod', 'k8s_workload'] as const) {
    for (const n of ctx.nodesOfKind(kind)) {
      if (n.boundary !== lastBoundary) {
        lastBoundary = n.boundary;
        lastCluster = clusterOf(n);
      }
      const c = lastCluster;
      // The props object once per pod (a getter on rule nodes), not once per field.
      const p = n.props;
      const account = p['serviceAccount'];
      if (!c || typeof account !== 'string') continue;
      const ns = namespaceIn(p);
      const phase = p['phase'];
      // Every field in the literal (evidence too, filled or not): no object grows a property store later.
      const runner: Runner = {
        node: n,
        sa: saId(c, ns, account),
        tokenMounted: p['tokenMounted'] !== false,
        running: phase === undefined || phase === 'Running',
        namespace: ns,
        evidence: undefined,
      };
      push(c.runners, ns, runner);
    }
  }
  const clusterAdmins = new Set<string>();
  for (const c of clusters.values()) for (const b of c.bindings) if (b.namespace === undefined && b.role.rules.some((rr) => isWildcardRule(rr.rule))) clusterAdmins.add(b.subject);
  return { clusters, cache: new Map(), clusterAdmins };
}

/** Fills aggregated ClusterRoles with the rules of the ClusterRoles their selectors match (transitively). */
function aggregate(c: ClusterModel): void {
  const clusterRoles = [...c.roles.values()].filter((r) => r.kind === 'ClusterRole');
  const resolve = (role: RoleInfo, seen: Set<string>): RoleRule[] => {
    if (!role.aggregationRule) return role.rules;
    const selectors = Array.isArray(role.aggregationRule['clusterRoleSelectors']) ? role.aggregationRule['clusterRoleSelectors'].filter((s): s is JsonObject => isObject(s)) : [];
    const out = [...role.own.map((rule, index) => ({ rule, role, index }))];
    for (const other of clusterRoles) {
      if (other.id === role.id || seen.has(other.id) || !selectors.some((s) => selectorMatches(s, other.labels))) continue;
      role.aggregatedFrom.push(other.name);
      out.push(...resolve(other, new Set([...seen, role.id])));
    }
    return out;
  };
  for (const role of clusterRoles) if (role.aggregationRule) role.rules = resolve(role, new Set([role.id]));
}

/** A metav1.LabelSelector: matchLabels and matchExpressions (In, NotIn, Exists, DoesNotExist) must all hold. */
export function selectorMatches(selector: Record<string, unknown>, labels: Record<string, string>): boolean {
  const match = isStringMap(selector['matchLabels']) ? selector['matchLabels'] : {};
  const exprs = Array.isArray(selector['matchExpressions']) ? selector['matchExpressions'].filter(isObject) : [];
  if (!Object.keys(match).length && !exprs.length) return false;
  for (const [k, v] of Object.entries(match)) if (labels[k] !== v) return false;
  for (const e of exprs) {
    const key = String(e['key']);
    const values = Array.isArray(e['values']) ? e['values'].map(String) : [];
    const has = Object.hasOwn(labels, key);
    switch (e['operator']) {
      case 'In':
        if (!has || !values.includes(labels[key]!)) return false;
        break;
      case 'NotIn':
        if (has && values.includes(labels[key]!)) return false;
        break;
      case 'Exists':
        if (!has) return false;
        break;
      case 'DoesNotExist':
        if (has) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}

function toRule(raw: Json): PolicyRule {
  const o = isObject(raw) ? raw : {};
  const list = (k: string) => (Array.isArray(o[k]) ? (o[k] as unknown[]).filter((v): v is string => typeof v === 'string') : []);
  return { verbs: list('verbs'), apiGroups: list('apiGroups'), resources: list('resources'), resourceNames: list('resourceNames'), nonResourceURLs: list('nonResourceURLs'), raw };
}

/**
 * Whether the rule allows the request, ignoring the object name (see grants() for resourceNames).
 * Mirrors the authorizer: "*" matches any verb, group or resource; "*\/sub" matches that subresource of any
 * resource; "pods/*" does not match pods/exec.
 */
export function ruleMatches(rule: PolicyRule, req: Request): boolean {
  if (!rule.resources.length) return false;
  if (!rule.verbs.includes('*') && !rule.verbs.includes(req.verb)) return false;
  if (!rule.apiGroups.includes('*') && !rule.apiGroups.includes(req.group)) return false;
  const combined = req.subresource ? `${req.resource}/${req.subresource}` : req.resource;
  return rule.resources.some((r) => r === '*' || r === combined || (req.subresource !== undefined && r === `*/${req.subresource}`));
}

/** Full control: every verb on every resource of every API group, with no name restriction. */
export function isWildcardRule(rule: PolicyRule): boolean {
  return rule.verbs.includes('*') && rule.resources.includes('*') && rule.apiGroups.includes('*') && rule.resourceNames.length === 0;
}

function requestKey(req: Request): string {
  return `${req.verb} ${req.group}/${req.resource}/${req.subresource ?? ''}${req.clusterScoped ? ' cluster' : ''}`;
}

/**
 * Every grant of the request in the case: who holds it, in which namespace (or cluster-wide) and for which names.
 * Cluster admins are left out (see clusterAdmins). A create of a top-level resource carries no object name, so rules limited by resourceNames never allow it.
 */
export function grants(model: RbacModel, req: Request): Grant[] {
  const key = requestKey(req);
  const cached = model.cache.get(key);
  if (cached) return cached;
  const out: Grant[] = [];
  const nameless = req.verb === 'create' && !req.subresource;
  for (const c of model.clusters.values()) {
    // Which rules of which roles match: computed once per role, and only the bindings of roles with a match are
    // visited (tens of thousands of bindings, a few dozen requests), in binding order.
    const matching = new Map<RoleInfo, RoleRule[]>();
    const { roles, indexes } = bindingsByRole(c);
    // The bindings of the roles with a match, each role's in order: merged and sorted only when several roles match.
    let hits: number[] | undefined;
    let several = false;
    for (let k = 0; k < roles.length; k++) {
      const role = roles[k]!;
      // A loop, not filter(): thousands of roles (one per namespace) asked dozens of requests, few matching.
      let rules: RoleRule[] | undefined;
      const own = role.rules;
      for (let r = 0; r < own.length; r++) {
        const rr = own[r]!;
        if (ruleMatches(rr.rule, req) && !(nameless && rr.rule.resourceNames.length)) (rules ??= []).push(rr);
      }
      if (!rules) continue;
      matching.set(role, rules);
      if (!hits) hits = indexes[k]!;
      else {
        if (!several) hits = [...hits];
        several = true;
        const more = indexes[k]!;
        for (let j = 0; j < more.length; j++) hits.push(more[j]!);
      }
    }
    if (!hits) continue;
    if (several) hits.sort((a, b) => a - b);
    // Indexed loops: grants() runs a few dozen times, over tens of thousands of bindings, mostly not optimised yet.
    for (let h = 0; h < hits.length; h++) {
      const b = c.bindings[hits[h]!]!;
      if (req.clusterScoped && b.namespace !== undefined) continue;
      if (model.clusterAdmins.has(b.subject)) continue;
      const rules = matching.get(b.role)!;
      for (let r = 0; r < rules.length; r++) {
        const rr = rules[r]!;
        out.push({
          subject: b.subject,
          cluster: c,
          binding: b,
          rule: rr,
          ...(b.namespace !== undefined ? { namespace: b.namespace } : {}),
          ...(rr.rule.resourceNames.length ? { names: rr.rule.resourceNames } : {}),
          request: req,
        });
      }
    }
  }
  model.cache.set(key, out);
  return out;
}

/** A cluster's bound roles (in order of their first binding) and, for each, the indexes of its bindings in order. */
interface BoundRoles {
  roles: RoleInfo[];
  indexes: number[][];
}

const byRoleCache = new WeakMap<ClusterModel, BoundRoles>();

/** A cluster's bindings (their indexes, in order) by the role they bind: arrays, walked for every request. */
function bindingsByRole(c: ClusterModel): BoundRoles {
  let bound = byRoleCache.get(c);
  if (!bound) {
    const byRole = new Map<RoleInfo, number[]>();
    c.bindings.forEach((b, i) => {
      const list = byRole.get(b.role);
      if (list) list.push(i);
      else byRole.set(b.role, [i]);
    });
    bound = { roles: [...byRole.keys()], indexes: [...byRole.values()] };
    byRoleCache.set(c, bound);
  }
  return bound;
}

/** The namespaces a grant covers among those given. */
export function inScope<T>(grant: Grant, byNamespace: Map<string, T[]>): T[] {
  if (grant.namespace !== undefined) return byNamespace.get(grant.namespace) ?? [];
  return [...byNamespace.values()].flat();
}

export function describeRequest(req: Request): string {
  return `${req.verb} ${req.subresource ? `${req.resource}/${req.subresource}` : req.resource}`;
}

export function scopeText(grant: Grant): string {
  const names = grant.names ? ` named ${grant.names.join(', ')}` : '';
  return grant.namespace !== undefined ? `${names} in namespace ${grant.namespace}` : `${names} in every namespace`;
}

/**
 * The binding and the rule that make a grant, as evidence. The same objects come back for the same binding and
 * rule, so edges reached several ways keep one copy (kept on the binding: a cluster has tens of thousands, and a
 * WeakMap of them costs every garbage collection).
 */
export function grantEvidence(grant: Grant): Evidence[] {
  const byRule = (grant.binding.grantEvidence ??= new Map());
  let out = byRule.get(grant.rule);
  if (!out) byRule.set(grant.rule, (out = buildGrantEvidence(grant)));
  return out;
}

function buildGrantEvidence(grant: Grant): Evidence[] {
  const b = grant.binding;
  const role = b.role;
  const rr = grant.rule;
  const bindingName = b.namespace !== undefined ? `${b.kind} ${b.namespace}/${b.name}` : `${b.kind} ${b.name}`;
  const roleName = role.namespace ? `${role.kind} ${role.namespace}/${role.name}` : `${role.kind} ${role.name}`;
  const ruleRole = rr.role;
  const ruleRoleName = ruleRole.namespace ? `${ruleRole.kind} ${ruleRole.namespace}/${ruleRole.name}` : `${ruleRole.kind} ${ruleRole.name}`;
  const via = ruleRole.id !== role.id ? ` (aggregated into ${roleName})` : '';
  const r = rr.rule;
  const ruleText = `verbs [${r.verbs.join(', ')}] on resources [${r.resources.join(', ')}] in apiGroups [${r.apiGroups.map((g) => (g === '' ? '""' : g)).join(', ')}]${r.resourceNames.length ? ` named [${r.resourceNames.join(', ')}]` : ''}`;
  // One binding object per binding, shared by its rules' evidence, so an edge made by two rules lists it once.
  let bindingEvidence = b.evidence;
  if (!bindingEvidence) {
    bindingEvidence = b.evidence = role.accessPolicy ? accessPolicyEvidence(b) : {
      type: 'binding',
      summary: flat`${bindingName} binds ${roleName}${b.namespace !== undefined ? ` in namespace ${b.namespace}` : ' cluster-wide'}`,
      ...(b.location ? { location: b.location } : {}),
      data: { kind: b.kind, name: b.name, ...(b.namespace !== undefined ? { namespace: b.namespace } : {}), roleRef: { kind: role.kind, name: role.name } },
    };
  }
  const out: Evidence[] = [
    bindingEvidence,
    {
      type: 'rbac-rule',
      summary: flat`${ruleRole.accessPolicy ? `EKS access policy ${ruleRole.name}` : ruleRoleName} rule ${rr.index + 1}${via} allows ${ruleText}${ruleRole.builtIn ? ' (built-in definition: the role itself is not in the case)' : ''}`,
      ...(ruleRole.location ? { location: `${ruleRole.location}.rules[${rr.index}]` } : {}),
      data: r.raw,
    },
  ];
  return out;
}

/** An EKS access policy association (read as a binding of the policy): said in EKS's words. */
function accessPolicyEvidence(b: Binding): Evidence {
  const scope = b.namespace !== undefined ? `in namespace ${b.namespace}` : 'at cluster scope';
  return {
    type: 'eks-access-policy',
    summary: `EKS access policy ${b.role.name} is associated with the principal ${scope} (EKS authorizes it before RBAC)`,
    ...(b.location ? { location: b.location } : {}),
    data: { policyArn: b.role.accessPolicy ?? b.role.name, accessScope: b.namespace !== undefined ? { type: 'namespace', namespaces: [b.namespace] } : { type: 'cluster' } },
  };
}

export function runnerEvidence(r: Runner): Evidence {
  return (r.evidence ??= buildRunnerEvidence(r));
}

function buildRunnerEvidence(r: Runner): Evidence {
  const summary = flat`${String(r.node.props['objectKind'] ?? 'Pod')} ${r.node.name} runs as service account ${r.namespace}/${r.sa.slice(r.sa.lastIndexOf('/') + 1)}${r.tokenMounted ? ' with its token mounted' : ''}`;
  // The place is made here, for the pods some rule cites, not for every pod of the model; the piece is built whole
  // (one per pod of the cluster: a field added later would give each a property store of its own).
  const p = r.node.props;
  const at = p['at'];
  const location = typeof at === 'string' ? `${String(p['sourceFile'] ?? '')} ${at}`.trim() : '';
  return location ? { type: 'workload', summary, location } : { type: 'workload', summary };
}


function isStringMap(v: unknown): v is Record<string, string> {
  return isObject(v) && Object.values(v).every((x) => typeof x === 'string');
}
