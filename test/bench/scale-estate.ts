// The scale bench's estate: a large organisation's exports written file by file to disk, never held whole in
// memory. Most of the edges are directory tenants in BloodHound OpenGraph (users, service principals, groups,
// devices, vaults; departments with most of their edges inside, a few tenant-wide groups, cross-tenant edges);
// the rest are real exports that drive the derivation rules at that size: Kubernetes clusters (kubectl List) and
// AWS accounts (GAAD and credential report).
import { closeSync, openSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { syntheticGaad } from './aws.js';
import { syntheticCluster } from './k8s.js';
import { rng } from './synthetic.js';

export interface Estate {
  files: string[];
  bytes: number;
  /** Edges and nodes the files state (derived edges come on top). */
  statedEdges: number;
  tenants: number;
  clusters: number;
  accounts: number;
}

/** Sizes for an estate of about `edges` edges (stated and derived) over edges/5 nodes. */
export function estatePlan(edges: number): { tenants: number; tenantNodes: number; tenantEdges: number; clusters: number; accounts: number } {
  const clusters = Math.max(1, Math.round(edges / 500_000));
  const accounts = Math.max(1, Math.round(edges / 1_000_000));
  // What one cluster and one account bring, stated and derived, as measured on these generators.
  const otherEdges = clusters * CLUSTER_EDGES + accounts * ACCOUNT_EDGES;
  const otherNodes = clusters * CLUSTER_NODES + accounts * ACCOUNT_NODES;
  const tenants = Math.max(1, Math.round(edges / 1_000_000));
  return {
    tenants,
    tenantEdges: Math.max(1000, Math.floor((edges - otherEdges) / tenants)),
    tenantNodes: Math.max(200, Math.floor((edges / 5 - otherNodes) / tenants)),
    clusters,
    accounts,
  };
}

const CLUSTER = { serviceAccounts: 2_000, roleBindings: 2_000, pods: 5_000 };
const CLUSTER_EDGES = 13_100;
const CLUSTER_NODES = 7_500;
const ACCOUNT_SIZE = 1_500;
const ACCOUNT_EDGES = 9_000;
const ACCOUNT_NODES = 6_500;

/** Writes the estate's files into `dir`. */
export function writeEstate(dir: string, edges: number): Estate {
  const plan = estatePlan(edges);
  const files: string[] = [];
  let statedEdges = 0;
  for (let t = 0; t < plan.tenants; t++) {
    const file = join(dir, `tenant-${String(t).padStart(2, '0')}.opengraph.json`);
    statedEdges += writeTenant(file, t, plan.tenants, plan.tenantNodes, plan.tenantEdges);
    files.push(file);
  }
  for (let c = 0; c < plan.clusters; c++) {
    // The importer names the cluster after the file (the bench imports everything in one go, without --cluster).
    const file = join(dir, `cluster-${String(c).padStart(2, '0')}.json`);
    writeFileSync(file, JSON.stringify(syntheticCluster(CLUSTER, 100 + c)));
    files.push(file);
  }
  for (let a = 0; a < plan.accounts; a++) {
    const account = String(200000000000 + a);
    const others = [String(200000000000 + ((a + 1) % plan.accounts)), '999988887777'];
    const gaad = join(dir, `gaad-${account}.json`);
    writeFileSync(gaad, JSON.stringify(syntheticGaad(ACCOUNT_SIZE, ACCOUNT_SIZE, ACCOUNT_SIZE, account, others, 42 + a)));
    files.push(gaad);
    const report = join(dir, `credential-report-${account}.csv`);
    writeFileSync(report, credentialReport(account, ACCOUNT_SIZE));
    files.push(report);
  }
  const bytes = files.reduce((s, f) => s + statSync(f).size, 0);
  return { files, bytes, statedEdges, tenants: plan.tenants, clusters: plan.clusters, accounts: plan.accounts };
}

/** Buffered writes to a file: the tenant is produced as text in 1 MB pieces. */
class Out {
  private fd: number;
  private buf: string[] = [];
  private size = 0;
  constructor(path: string) {
    this.fd = openSync(path, 'w');
  }
  write(s: string): void {
    this.buf.push(s);
    this.size += s.length;
    if (this.size >= 1 << 20) this.flush();
  }
  flush(): void {
    writeSync(this.fd, this.buf.join(''));
    this.buf = [];
    this.size = 0;
  }
  close(): void {
    this.flush();
    closeSync(this.fd);
  }
}

const DEPT = 1_000;

type Role = 'user' | 'sp' | 'group' | 'device' | 'vault';
function roleOf(i: number): Role {
  const r = i % 100;
  return r < 55 ? 'user' : r < 70 ? 'sp' : r < 78 ? 'group' : r < 90 ? 'device' : 'vault';
}
const KIND: Record<Role, string> = { user: 'Scale_User', sp: 'Scale_ServicePrincipal', group: 'Scale_Group', device: 'Scale_Device', vault: 'Scale_KeyVault' };

/**
 * One directory tenant: node 0 is the tenant, then departments of 1,000 objects grouped in regions of 20.
 * Most edges stay in their department; some reach another department of the region; every region reaches a few
 * shared service principals of region 0, and a few objects reach into the next tenant (a stub there until that
 * tenant's file describes it). Members of the tenant-wide groups reach vaults anywhere; the help desk can reset a
 * user's password in every department, and a few users of the last region are in it. A few groups are tier
 * zero. So a key usually reaches its region and the shared services, and from the last region the whole tenant
 * and some of the next. Returns the number of edges written.
 */
function writeTenant(path: string, t: number, tenants: number, n: number, m: number): number {
  const random = rng(1000 + t);
  const out = new Out(path);
  const id = (tenant: number, i: number) => `t${tenant}-${i}`;
  out.write(`{"metadata":{"source_kind":"Scale"},"graph":{"nodes":[`);
  out.write(JSON.stringify({ id: id(t, 0), kinds: ['Scale_Tenant'], properties: { name: `tenant-${t}.example`, objectid: `tenant-${t}` } }));
  for (let i = 1; i < n; i++) {
    const role = roleOf(i);
    // Tier zero: the first groups of the tenant (its global administrators and the like).
    const tierZero = role === 'group' && i < 300 && i % 100 === 70;
    const kinds = tierZero ? [KIND[role], 'Tag_Tier_Zero'] : [KIND[role]];
    out.write(`,{"id":"${id(t, i)}","kinds":${JSON.stringify(kinds)},"properties":{"name":"${role}-${t}-${i}","objectid":"${objectId(t, i)}"${role === 'user' ? `,"email":"${role}${i}@tenant-${t}.example"` : ''}}}`);
  }
  out.write(`],"edges":[`);
  const depts = Math.max(1, Math.floor(n / DEPT));
  const regions = Math.ceil(depts / REGION);
  // Object i of a role, in department d (d = -1: anywhere).
  const pick = (role: Role, d: number): number => {
    for (;;) {
      const base = d < 0 ? Math.floor(random() * n) : d * DEPT + Math.floor(random() * Math.min(DEPT, n - d * DEPT));
      // Roles repeat every 100 indexes: move to one of that role in the same hundred.
      const i = base - (base % 100) + ROLE_START[role] + Math.floor(random() * ROLE_SPAN[role]);
      if (i > 0 && i < n) return i;
    }
  };
  // Another department of d's region, now and then.
  const near = (d: number) => (random() < 0.95 ? d : Math.max(1, Math.min(depts - 1, d - (d % REGION) + Math.floor(random() * REGION))));
  // Department 0 holds the tenant-wide groups (72–77 of each hundred), the help desk (71) and the tier-zero
  // groups (70, 170, 270); other edges start in the other departments.
  const globalGroup = () => 72 + 100 * Math.floor(random() * Math.min(10, Math.max(1, Math.floor(n / 100)))) + Math.floor(random() * 6);
  const helpDesk = 71;
  const tierZero = () => 70 + 100 * Math.floor(random() * Math.min(3, Math.max(1, Math.floor(n / 100))));
  let written = 0;
  const edge = (kind: string, from: string, to: string) => {
    out.write(`${written === 0 ? '' : ','}{"kind":"${kind}","start":{"value":"${from}"},"end":{"value":"${to}"}}`);
    written++;
  };
  for (let d = 0; d < depts && written < m; d++) edge('Scale_ResetPassword', id(t, helpDesk), id(t, pick('user', d)));
  // Two members of a tier-zero group in every region.
  for (let r = 0; r < regions && written < m; r++) for (let k = 0; k < 2; k++) edge('Scale_MemberOf', id(t, pick('user', Math.min(depts - 1, r * REGION + 1 + k))), id(t, tierZero()));
  // Every region reaches a few service principals of region 0 (shared services); the last region's help-desk
  // operators are members of the help desk (so a key there reaches the whole tenant); a few objects act in the
  // next tenant.
  for (let r = 1; r < regions && written < m; r++) for (let k = 0; k < 3; k++) edge('Scale_Owns', id(t, pick('sp', r * REGION + 1 + k)), id(t, pick('sp', 1 + k)));
  for (let k = 0; k < 5 && written < m; k++) edge('Scale_MemberOf', id(t, pick('user', Math.max(1, (regions - 1) * REGION) + k)), id(t, helpDesk));
  if (tenants > 1) for (let k = 0; k < 3 && written < m; k++) edge('Scale_Owns', id(t, pick('sp', 1 + Math.floor(random() * (depts - 1)))), id((t + 1) % tenants, pick('sp', -1)));
  while (written < m) {
    const d = depts > 1 ? 1 + Math.floor(random() * (depts - 1)) : 0;
    const r = random();
    if (r < 0.4) {
      // Membership: mostly a group of the department, sometimes a tenant-wide group, rarely the help desk.
      const member = pick(random() < 0.7 ? 'user' : random() < 0.5 ? 'sp' : 'device', d);
      const g = random() < 0.8 ? pick('group', near(d)) : globalGroup();
      edge('Scale_MemberOf', id(t, member), id(t, g));
    } else if (r < 0.6) {
      // Groups act on vaults: their own department's, or (tenant-wide groups) anywhere.
      const tenantWide = random() < 0.1;
      edge(random() < 0.5 ? 'Scale_GetSecrets' : 'Scale_Contributor', id(t, tenantWide ? globalGroup() : pick('group', d)), id(t, pick('vault', tenantWide ? -1 : d)));
    } else if (r < 0.75) {
      edge('Scale_AdminTo', id(t, pick(random() < 0.5 ? 'group' : 'user', d)), id(t, pick('device', near(d))));
    } else if (r < 0.85) {
      edge('Scale_HasSession', id(t, pick('device', d)), id(t, pick('user', d)));
    } else if (r < 0.95) {
      edge(random() < 0.5 ? 'Scale_Owns' : 'Scale_AddSecret', id(t, pick(random() < 0.5 ? 'user' : 'sp', d)), id(t, pick('sp', near(d))));
    } else {
      edge('Scale_ResetPassword', id(t, pick('group', d)), id(t, pick('user', near(d))));
    }
  }
  out.write(']}}');
  out.close();
  return written;
}

const REGION = 20;
const ROLE_START: Record<Role, number> = { user: 0, sp: 55, group: 70, device: 78, vault: 90 };
const ROLE_SPAN: Record<Role, number> = { user: 55, sp: 15, group: 8, device: 12, vault: 10 };

function objectId(t: number, i: number): string {
  const hex = (x: number, w: number) => x.toString(16).padStart(w, '0');
  return `${hex(t, 8)}-0000-4000-8000-${hex(i, 12)}`;
}

/** A credential report of the account's users (GAAD names them user-0…), one active key each, some never used. */
function credentialReport(account: string, users: number): string {
  const header = 'user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated';
  const rows = [header];
  for (let i = 0; i < users; i++) {
    const used = i % 4 === 0 ? 'N/A' : '2026-01-01T00:00:00+00:00';
    rows.push([`user-${i}`, `arn:aws:iam::${account}:user/user-${i}`, '2023-01-01T00:00:00+00:00', 'false', 'N/A', 'N/A', 'N/A', 'false', 'true', '2024-01-01T00:00:00+00:00', used, used === 'N/A' ? 'N/A' : 'us-east-1', used === 'N/A' ? 'N/A' : 's3', 'false', 'N/A', 'N/A', 'N/A', 'N/A', 'false', 'N/A', 'false', 'N/A'].join(','));
  }
  return `${rows.join('\n')}\n`;
}
