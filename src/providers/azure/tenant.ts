import type { DeriveContext } from '../../analysis/edges/types.js';
import type { Evidence } from '../../model/fragment.js';
import { ids } from '../../model/ids.js';
import type { StoredNode } from '../../store/case-store.js';

// The Entra objects of the case, grouped per tenant, read once per derivation run and shared by the Entra rules
// (directory roles, Graph application permissions): who is in which tenant, and which applications and service
// principals a tenant-wide "add credentials" power reaches.

export interface EntraModel {
  /** The tenant node id an object belongs to (its boundary or its tenantId), or the case's only tenant. */
  tenantOf(node: StoredNode): string | undefined;
  /**
   * What "add credentials to any application" reaches in a tenant: every app registration, and the service principals
   * whose registration is not in the case (Microsoft's and other tenants' apps). A service principal whose app is in the
   * case is reached through it (the app authenticates as its service principal). Managed identities take no credentials.
   */
  credentialTargets(tenantId: string): StoredNode[];
  /** Applications and service principals with a client id (lower-case). */
  byClientId(appId: string): StoredNode[];
  /** The tenant's admin node id, emitted when no source stated it. */
  adminOf(tenantId: string): string;
}

/** The tenants that own Microsoft's first-party applications. */
const MICROSOFT_TENANTS = new Set(['f8cdef31-a31e-4b4a-93e4-5f571e91255a', '72f988bf-86f1-41af-91ab-2d7cd011db47']);

export function entraModel(ctx: DeriveContext): EntraModel {
  return ctx.memo('azure:entra', () => build(ctx));
}

function build(ctx: DeriveContext): EntraModel {
  const tenants = [...ctx.nodesOfKind('azure_tenant')].map((t) => t.id);
  const only = tenants.length === 1 ? tenants[0] : undefined;
  const tenantOf = (n: StoredNode): string | undefined => {
    if (n.boundary?.startsWith('azure:tenant:')) return n.boundary;
    const t = n.props['tenantId'];
    return typeof t === 'string' && t ? ids.azureTenant(t) : only;
  };
  const apps = [...ctx.nodesOfKind('azure_application')];
  const sps = [...ctx.nodesOfKind('azure_service_principal')];
  const registered = new Set(apps.map((a) => appIdOf(a)).filter((x): x is string => Boolean(x)));
  const targets = new Map<string, StoredNode[]>();
  const clientIds = new Map<string, StoredNode[]>();
  for (const n of [...apps, ...sps]) {
    const appId = appIdOf(n);
    if (appId) push(clientIds, appId, n);
    if (n.kind === 'azure_service_principal' && appId && registered.has(appId)) continue;
    // Microsoft's own service principals (hundreds in every tenant, none of them the tenant's) would bury the paths
    // that matter under one edge per holder each.
    if (n.kind === 'azure_service_principal' && MICROSOFT_TENANTS.has(String(n.props['appOwnerOrganizationId'] ?? '').toLowerCase())) continue;
    const t = tenantOf(n);
    if (t) push(targets, t, n);
  }
  for (const n of ctx.nodesOfKind('azure_managed_identity')) {
    const appId = appIdOf(n);
    if (appId) push(clientIds, appId, n);
  }
  const admins = new Set<string>();
  return {
    tenantOf,
    credentialTargets: (t) => targets.get(t) ?? [],
    byClientId: (appId) => clientIds.get(appId.toLowerCase()) ?? [],
    adminOf(tenantId) {
      const id = ids.admin(tenantId);
      if (!admins.has(id) && !ctx.node(id)) ctx.emitNode({ id, kind: 'admin', name: `Global administrator of tenant ${tenantId.replace('azure:tenant:', '')}`, boundary: tenantId });
      admins.add(id);
      return id;
    },
  };
}

function appIdOf(n: StoredNode): string | undefined {
  const a = n.props['appId'];
  return typeof a === 'string' && a ? a.toLowerCase() : undefined;
}

function push<T>(m: Map<string, T[]>, k: string, v: T): void {
  const list = m.get(k);
  if (list) list.push(v);
  else m.set(k, [v]);
}

/**
 * Emits "can add credentials to it and sign in as it" from a holder to the applications a power reaches: the whole
 * tenant, or one application when the grant is scoped to it. Every edge cites the same evidence objects.
 */
export function emitCredentialEscalation(ctx: DeriveContext, holder: string, targets: StoredNode[], reason: string, technique: string, evidence: Evidence[], conditional: string | undefined): void {
  for (const t of targets) {
    if (t.id === holder) continue;
    ctx.emitEdge({
      from: holder,
      to: t.id,
      kind: 'CAN_ESCALATE',
      props: { reason: `${reason} (${t.kind === 'azure_application' ? 'application' : 'service principal'} ${t.name})`, technique, evidence, ...(conditional ? { conditional } : {}) },
    });
  }
}
