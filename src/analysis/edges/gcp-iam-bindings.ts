import type { EdgeProps, Evidence } from '../../model/fragment.js';
import { reads, kindsOfProviders } from '../reads.js';
import { ids } from '../../model/ids.js';
import type { NodeKind } from '../../model/kinds.js';
import { accessLevelOfRole, GCP_DANGEROUS_ROLES, parseMember, storedBindings, type Member, type RoleEffect, type StoredBinding } from '../../providers/gcp/iam.js';
import { permissionEffect, type PermissionEffect } from '../../providers/gcp/role-permissions.js';
import type { StoredNode } from '../../store/case-store.js';
import type { DeriveContext, EdgeRule } from './types.js';

// GCP IAM bindings (props.iamBindings on organizations, folders, projects, service accounts and other assets)
// → attack edges. Bindings on an organization or folder apply to every project below it (IAM inheritance).
// Which roles matter is the GCP_DANGEROUS_ROLES table; resource-level bindings become CAN_ACCESS. A custom role
// (projects/P/roles/R, organizations/O/roles/R) — or a predefined role outside the table that the case describes —
// grants what its permissions say (gcp_role nodes from gcloud iam roles describe); one whose permissions are not in
// the case gives a conditional access at most.

const HOLDERS: NodeKind[] = ['gcp_organization', 'gcp_folder', 'gcp_project', 'gcp_service_account', 'gcp_resource'];
const CONTAINERS = new Set<NodeKind>(['gcp_organization', 'gcp_folder', 'gcp_project']);
const CONVENIENCE_ROLE: Record<string, string> = { projectOwner: 'roles/owner', projectEditor: 'roles/editor', projectViewer: 'roles/viewer' };

export const gcpIamBindings: EdgeRule = {
  id: 'gcp-iam-bindings',
  description: 'GCP IAM bindings: owners and IAM admins of a project (or above it) are its admins; token creators, key admins and editors can act as its service accounts; resource roles give access',
  emits: ['ADMIN_OF', 'CAN_ESCALATE', 'CAN_ACCESS', 'MEMBER_OF'],
  reads: reads({ nodes: [...kindsOfProviders('gcp'), 'admin'] }),
  derive(ctx) {
    const model = buildModel(ctx);
    if (!model) return;
    // A member is named by many bindings (a group on every project): parsed once, one object shared (read only).
    const members = new Map<string, Member | undefined>();
    // Service accounts granted something outside their own project (their project's admin can act as them).
    const exits = new Map<string, Grant>();
    for (const kind of HOLDERS) {
      for (const holder of model.all(kind)) {
        const bindings = storedBindings(holder.props);
        if (!bindings.length) continue;
        for (const raw of bindings) {
          const binding = raw as unknown as StoredBinding;
          for (const memberText of binding.members) {
            let member = members.get(memberText);
            if (member === undefined && !members.has(memberText)) members.set(memberText, (member = parseMember(memberText)));
            if (!member?.id) continue;
            const grant = new Grant(ctx, model.canonical(member.id), member, binding, holder);
            if (CONTAINERS.has(kind)) grantOnContainer(model, grant, kind);
            else if (kind === 'gcp_service_account') grantOnServiceAccount(grant);
            else grantOnResource(grant);
            if (member.kind === 'gcp_service_account') noteWayOut(model, grant, kind, exits);
          }
        }
      }
    }
    linkConvenienceMembers(ctx, model);
    // What admin-exits does for the other providers, here where the grants are read: a project's admin can act as
    // its service accounts, so one granted something in another project takes that admin out of the project.
    for (const [sa, g] of exits) {
      const home = model.accountProject(sa);
      const admin = home ? model.knownAdmin(home) : undefined;
      if (!admin) continue;
      ctx.emitEdge({
        from: admin.id,
        to: sa,
        kind: 'CAN_ESCALATE',
        props: {
          reason: `An admin of ${admin.project.name} can grant itself roles/iam.serviceAccountTokenCreator on ${g.member.name}, a service account of that project, and act as it; it holds ${g.role} on ${g.holder.name}, outside the project.`,
          technique: 'project admin: acts as the service account (iam.serviceAccounts.getAccessToken)',
          evidence: [g.evidence()],
        },
      });
    }
  },
};

/** The case's GCP hierarchy, read once per derivation. */
interface GcpModel {
  all(kind: NodeKind): StoredNode[];
  canonical(id: string): string;
  /** Projects at or below an organization or folder. */
  projectsUnder: Map<string, StoredNode[]>;
  accountsOf: Map<string, StoredNode[]>;
  resourcesOf: Map<string, StoredNode[]>;
  adminOf(boundary: StoredNode): string;
  /** The project a service account or resource belongs to (canonical id), if the case says. */
  projectOf(node: StoredNode): string | undefined;
  /** The project of a service account named by id. */
  accountProject(id: string): string | undefined;
  /** The admin node of a project, if this run or the case has one. */
  knownAdmin(projectId: string): { id: string; project: StoredNode } | undefined;
}

function buildModel(ctx: DeriveContext): GcpModel | undefined {
  // Each kind is read from the store once; ids of loaded nodes are canonical, others may be aliases.
  const loaded = new Map<NodeKind, StoredNode[]>();
  const all = (kind: NodeKind): StoredNode[] => {
    let list = loaded.get(kind);
    if (!list) loaded.set(kind, (list = [...ctx.nodesOfKind(kind)]));
    return list;
  };
  const projects = all('gcp_project');
  if (projects.length === 0 && all('gcp_resource').length === 0) return undefined;
  const resolved = new Map<string, string>();
  for (const kind of HOLDERS) for (const n of all(kind)) resolved.set(n.id, n.id);
  const canonical = (id: string): string => {
    let c = resolved.get(id);
    if (c === undefined) resolved.set(id, (c = ctx.node(id)?.id ?? id));
    return c;
  };

  // Ancestry: parent links (resource.parent), else the exported ancestors list.
  const parentOf = new Map<string, string>();
  for (const kind of ['gcp_project', 'gcp_folder', 'gcp_resource', 'gcp_service_account'] as const) {
    for (const n of all(kind)) {
      const parent = typeof n.props['parent'] === 'string' ? n.props['parent'] : undefined;
      const anc = Array.isArray(n.props['ancestors']) ? (n.props['ancestors'] as string[]) : [];
      const p = parent ?? anc.map(canonical).find((a) => a !== n.id);
      if (p) parentOf.set(n.id, canonical(p));
    }
  }
  const chain = (id: string): string[] => {
    const out: string[] = [];
    for (let cur = parentOf.get(id); cur && !out.includes(cur); cur = parentOf.get(cur)) out.push(cur);
    return out;
  };

  const projectsUnder = new Map<string, StoredNode[]>();
  for (const p of projects) for (const a of chain(p.id)) push(projectsUnder, a, p);
  const accountsOf = new Map<string, StoredNode[]>();
  for (const sa of all('gcp_service_account')) {
    const project = sa.boundary ? canonical(sa.boundary) : typeof sa.props['projectId'] === 'string' ? canonical(ids.gcpProject(sa.props['projectId'])) : undefined;
    if (project) push(accountsOf, project, sa);
  }
  const resourcesOf = new Map<string, StoredNode[]>();
  for (const r of all('gcp_resource')) {
    const project = r.boundary ? canonical(r.boundary) : chain(r.id).find((a) => a.startsWith('gcp:project:'));
    if (project) push(resourcesOf, project, r);
  }

  const admins = new Set<string>();
  const adminOf = (boundary: StoredNode): string => {
    const id = ids.admin(boundary.id);
    if (!admins.has(id)) {
      if (!ctx.node(id)) ctx.emitNode({ id, kind: 'admin', name: `Admin of ${boundary.name}`, boundary: boundary.id });
      admins.add(id);
    }
    return id;
  };
  // Service accounts only (a resource says its project in its boundary; the few without one are looked up).
  let home: Map<string, string> | undefined;
  let homeOfResources: Map<string, string> | undefined;
  const projectOf = (node: StoredNode): string | undefined => {
    if (node.kind === 'gcp_resource') {
      if (node.boundary) return canonical(node.boundary);
      homeOfResources ??= new Map([...resourcesOf].flatMap(([project, list]) => list.map((n): [string, string] => [n.id, project])));
      return homeOfResources.get(node.id);
    }
    return accountProject(node.id);
  };
  const accountProject = (id: string): string | undefined => {
    if (!home) {
      home = new Map();
      for (const [project, list] of accountsOf) for (const n of list) home.set(n.id, project);
    }
    return home.get(id);
  };
  let projectNodes: Map<string, StoredNode> | undefined;
  const knownAdmin = (projectId: string) => {
    projectNodes ??= new Map(projects.map((p) => [p.id, p]));
    const project = projectNodes.get(projectId);
    const id = ids.admin(projectId);
    return project && (admins.has(id) || ctx.node(id)) ? { id, project } : undefined;
  };
  return { all, canonical, projectsUnder, accountsOf, resourcesOf, adminOf, projectOf, accountProject, knownAdmin };
}

/** One member's role on one holder: what every edge it makes says about itself. */
class Grant {
  constructor(
    readonly ctx: DeriveContext,
    readonly from: string,
    readonly member: Member,
    readonly binding: StoredBinding,
    readonly holder: StoredNode,
  ) {}

  get role(): string {
    return this.binding.role;
  }

  /** Pieces by the node they are cited for: one object per binding and project, shared by every edge it supports. */
  private pieces: Map<StoredNode | undefined, Evidence> | undefined;

  evidence(inheritedBy?: StoredNode): Evidence {
    const key = inheritedBy === this.holder ? undefined : inheritedBy;
    let piece = (this.pieces ??= new Map()).get(key);
    if (!piece) this.pieces.set(key, (piece = this.piece(key)));
    return piece;
  }

  private piece(inheritedBy: StoredNode | undefined): Evidence {
    const b = this.binding;
    return {
      type: 'iam-binding',
      summary: `${this.member.raw} holds ${b.role} on ${this.holder.name}${inheritedBy && inheritedBy !== this.holder ? `, inherited by ${inheritedBy.name}` : ''}${b.condition ? ` when ${b.condition}` : ''}`,
      location: b.at,
      data: { role: b.role, member: this.member.raw, resource: this.holder.id, ...(b.condition ? { condition: b.condition } : {}) },
    };
  }

  /** The binding's IAM condition, what else the technique needs, and a disabled target: none decidable offline. */
  conditional(needs?: string, target?: StoredNode): Pick<EdgeProps, 'conditional'> {
    // A disabled account issues no tokens until someone re-enables it.
    const disabled = target?.props['disabled'] === true ? `${target.name} is disabled` : undefined;
    if (!disabled) return this.unlessDisabled(needs);
    const text = [this.binding.condition, needs, disabled].filter(Boolean).join('; ');
    return text ? { conditional: text } : {};
  }

  /** conditional() for targets that are not disabled, worked out once per `needs` (a grant reaches many targets). */
  private plain: Map<string | undefined, Pick<EdgeProps, 'conditional'>> | undefined;
  private unlessDisabled(needs: string | undefined): Pick<EdgeProps, 'conditional'> {
    let c = (this.plain ??= new Map()).get(needs);
    if (!c) {
      const text = [this.binding.condition, needs].filter(Boolean).join('; ');
      this.plain.set(needs, (c = text ? { conditional: text } : {}));
    }
    return c;
  }
}

type RoleAnswer = { known: RoleEffect; permissions?: PermissionEffect; evidence?: Evidence } | { unknown: string };

/**
 * What a role grants: the predefined table, else the permissions of the role as the case describes it (memoised per
 * run), else, for a custom role, that it is unknown.
 */
function roleOf(ctx: DeriveContext, role: string): RoleAnswer | undefined {
  const table = GCP_DANGEROUS_ROLES[role];
  if (table) return { known: table };
  return ctx.memo(`gcp-role:${role}`, (): RoleAnswer | undefined => {
    const node = ctx.node(ids.gcpRole(role));
    const perms = node && !node.stub && Array.isArray(node.props['permissions']) ? (node.props['permissions'] as string[]) : undefined;
    if (perms) {
      const effect = permissionEffect(role, perms);
      const decisive = [effect.admin, effect.escalate?.why].filter(Boolean).join('; ');
      const evidence: Evidence = {
        type: 'iam-role',
        summary: `role ${role} (${node!.name}) has ${perms.length} permission${perms.length === 1 ? '' : 's'}${decisive ? `: ${decisive}` : ''}`,
        location: `${String(node!.props['sourceFile'] ?? '')} ${String(node!.props['at'] ?? '')}`.trim(),
        data: { role, permissions: perms },
      };
      return { known: effect, permissions: effect, evidence };
    }
    if (!/^(projects|organizations)\//.test(role)) return undefined;
    return { unknown: node ? `the permissions of custom role ${role} are not in the case (describe it: gcloud iam roles describe)` : `custom role ${role} is not in the case (import gcloud iam roles describe of it)` };
  });
}

/** Organization, folder or project: admin of every project covered, its accounts, its services' resources. */
function grantOnContainer(model: GcpModel, g: Grant, kind: NodeKind): void {
  const { ctx, holder, from } = g;
  const answer = roleOf(ctx, g.role);
  const effect = answer && 'known' in answer ? answer.known : undefined;
  const permissions = answer && 'known' in answer ? answer.permissions : undefined;
  const roleEvidence = answer && 'known' in answer && answer.evidence ? [answer.evidence] : [];
  const scope = kind === 'gcp_project' ? [holder] : (model.projectsUnder.get(holder.id) ?? []);
  if (effect?.admin) {
    const why = `${g.member.raw} holds ${g.role} on ${holder.name}; ${effect.admin}`;
    const targets = kind === 'gcp_project' ? scope : [holder, ...scope];
    const conditional = g.conditional();
    for (const t of targets) {
      ctx.emitEdge({ from, to: model.adminOf(t), kind: 'ADMIN_OF', props: { reason: why, technique: g.role, evidence: [g.evidence(t), ...roleEvidence], ...conditional } });
    }
  }
  if (effect?.escalate) {
    const esc = effect.escalate;
    for (const p of scope) {
      const accounts = model.accountsOf.get(p.id);
      if (!accounts) continue;
      // The same props for every account of the project that is not disabled (emitted props are never changed).
      const reason = `${esc.why}, granted on ${holder.name}${p === holder ? '' : ` and inherited by ${p.name}`}, so it can act as every service account of ${p.name}`;
      const evidence = [g.evidence(p), ...roleEvidence];
      let shared: EdgeProps | undefined;
      for (const sa of accounts) {
        if (sa.id === from) continue;
        const disabled = sa.props['disabled'] === true;
        const props = !disabled && shared ? shared : { reason, technique: esc.technique, evidence, ...g.conditional(esc.needs, sa) };
        if (!disabled) shared = props;
        ctx.emitEdge({ from, to: sa.id, kind: 'CAN_ESCALATE', props });
      }
    }
  }
  // Service roles (roles/storage.objectViewer) by name; roles read from permissions, per service they cover.
  const predefinedHost = effect ? undefined : serviceHostOf(g.role);
  const hosts: [string, ReturnType<typeof accessLevelOfRole>][] = permissions ? [...permissions.hosts] : predefinedHost ? [[predefinedHost, accessLevelOfRole(g.role)]] : [];
  if (!hosts.length) return;
  const conditional = g.conditional();
  const actions = [g.role];
  for (const p of scope) {
    const resources = model.resourcesOf.get(p.id);
    if (!resources) continue;
    // Per project: one props object per service (its reason, the evidence list), for every resource of it.
    const byHost = new Map<string, EdgeProps>();
    let evidence: Evidence[] | undefined;
    for (const r of resources) {
      const assetType = r.props['assetType'];
      const hit = typeof assetType === 'string' ? hostOf(hosts, assetType) : undefined;
      if (!hit) continue;
      const [host, level] = hit;
      let props = byHost.get(host);
      if (props === undefined) {
        const reason = `${g.member.raw} holds ${g.role} on ${holder.name}, which applies to every ${host.replace(/\/$/, '')} resource in ${p.name}`;
        byHost.set(host, (props = { reason, technique: g.role, accessLevel: level, actions, evidence: (evidence ??= [g.evidence(p)]), ...conditional }));
      }
      ctx.emitEdge({ from, to: r.id, kind: 'CAN_ACCESS', props });
    }
  }
}

/**
 * Remembers (its first) grant of a service account that gives something outside the service account's own project:
 * a role that is admin, escalates or reaches a service's resources, on another project, on an organization or folder
 * above other projects, or on another project's service account or resource.
 */
function noteWayOut(model: GcpModel, g: Grant, kind: NodeKind, exits: Map<string, Grant>): void {
  // The first grant in (holder, role) order is named: the same whichever order the case lists its nodes in.
  const had = exits.get(g.from);
  if (had && (had.holder.id < g.holder.id || (had.holder.id === g.holder.id && had.role <= g.role))) return;
  const home = model.accountProject(g.from);
  if (!home) return;
  let away: boolean;
  if (kind === 'gcp_project') away = g.holder.id !== home;
  else if (kind === 'gcp_organization' || kind === 'gcp_folder') away = (model.projectsUnder.get(g.holder.id) ?? []).some((p) => p.id !== home);
  else {
    const there = model.projectOf(g.holder);
    away = there !== undefined && there !== home;
  }
  if (!away) return;
  const answer = roleOf(g.ctx, g.role);
  const known = answer && 'known' in answer ? answer : undefined;
  const gives = Boolean(known?.known.admin || known?.known.escalate || known?.permissions?.level || known?.permissions?.hosts.size || accessLevelOfRole(g.role) || serviceHostOf(g.role));
  if (gives) exits.set(g.from, g);
}

/** A binding on a service account's own policy: token creators, key admins and users can act as it. */
function grantOnServiceAccount(g: Grant): void {
  const answer = roleOf(g.ctx, g.role);
  const esc = answer && 'known' in answer ? answer.known.escalate : undefined;
  if (!esc || g.holder.id === g.from) return;
  const roleEvidence = answer && 'known' in answer && answer.evidence ? [answer.evidence] : [];
  g.ctx.emitEdge({
    from: g.from,
    to: g.holder.id,
    kind: 'CAN_ESCALATE',
    props: { reason: `${esc.why}; the binding is on the service account's own IAM policy`, technique: esc.technique, evidence: [g.evidence(), ...roleEvidence], ...g.conditional(esc.needs, g.holder) },
  });
}

/** A binding on a bucket, dataset, key, topic…: access at the role's level. */
function grantOnResource(g: Grant): void {
  const answer = roleOf(g.ctx, g.role);
  const level = answer && 'known' in answer && answer.permissions ? answer.permissions.level : accessLevelOfRole(g.role);
  if (!level) return;
  const unknown = answer && 'unknown' in answer ? answer.unknown : undefined;
  g.ctx.emitEdge({
    from: g.from,
    to: g.holder.id,
    kind: 'CAN_ACCESS',
    props: { reason: `${g.member.raw} holds ${g.role} on ${g.holder.name}`, technique: g.role, accessLevel: level, actions: [g.role], evidence: [g.evidence()], ...g.conditional(unknown) },
  });
}

/** projectEditor:P (legacy bucket/dataset ACL members) means "whoever holds roles/editor on P". */
function linkConvenienceMembers(ctx: DeriveContext, model: GcpModel): void {
  for (const g of model.all('gcp_group')) {
    const m = typeof g.props['member'] === 'string' ? parseMember(g.props['member']) : undefined;
    if (m?.type !== 'convenience') continue;
    const [prefix, projectRef] = m.raw.split(':') as [string, string];
    const project = ctx.node(ids.gcpProject(projectRef));
    const bindings = project?.props['iamBindings'];
    if (!project || !Array.isArray(bindings)) continue;
    for (const raw of bindings) {
      const b = raw as unknown as StoredBinding;
      if (b.role !== CONVENIENCE_ROLE[prefix]) continue;
      for (const memberText of b.members) {
        const member = parseMember(memberText);
        if (!member?.id || member.type === 'convenience') continue;
        ctx.emitEdge({
          from: model.canonical(member.id),
          to: g.id,
          kind: 'MEMBER_OF',
          props: {
            reason: `${m.raw} names whoever holds ${b.role} on ${project.name}`,
            technique: 'convenience member',
            evidence: [{ type: 'iam-binding', summary: `${member.raw} holds ${b.role} on ${project.name}`, location: b.at, data: { role: b.role, member: member.raw } }],
            ...(b.condition ? { conditional: b.condition } : {}),
          },
        });
      }
    }
  }
}

// Predefined service roles (roles/storage.objectViewer) granted above a resource apply to that service's resources.
// Basic roles and IAM/resource-manager roles are handled as admin or escalation, not fanned out to every resource.
const SERVICE_HOSTS: Record<string, string> = { cloudsql: 'sqladmin.googleapis.com/', bigtable: 'bigtableadmin.googleapis.com/' };
const NOT_RESOURCE_ROLES = new Set(['iam', 'resourcemanager', 'billing', 'logging', 'monitoring', 'serviceusage', 'browser', 'orgpolicy', 'accesscontextmanager']);

function serviceHostOf(role: string): string | undefined {
  const svc = /^roles\/([a-z0-9]+)\.[A-Za-z0-9.]+$/.exec(role)?.[1];
  if (!svc || NOT_RESOURCE_ROLES.has(svc)) return undefined;
  return SERVICE_HOSTS[svc] ?? `${svc}.googleapis.com/`;
}

/** The first service host an asset type belongs to, with the access level granted there. */
function hostOf<T>(hosts: readonly [string, T][], assetType: string): [string, T] | undefined {
  for (const hit of hosts) if (assetType.startsWith(hit[0])) return hit;
  return undefined;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
