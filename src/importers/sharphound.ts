import { isObject } from '../model/fragment.js';
import type { EdgeFact, GraphFragment, JsonObject, MarkRequest, NodeFact } from '../model/fragment.js';
import { ids } from '../model/ids.js';
import type { NodeKind } from '../model/kinds.js';
import { ImportError, jsonPath, shown } from './errors.js';
import type { Importer } from './types.js';

// SharpHound collection files (BloodHound CE legacy JSON, version 5/6): {data: [objects], meta: {type, count,
// version}}, one file per object type. Objects are keyed by SID (ObjectIdentifier), the same ids OpenGraph
// collectors use, so both merge. Service accounts (users with SPNs, gMSAs) and computers are the non-human
// identities here; ACEs, group members, sessions and local admin rights are the attack edges. SharpHound CE also
// writes AD CS files (certtemplates, enterprisecas, rootcas, aiacas, ntauthstores, issuancepolicies): their objects
// and ACEs are read, not the certificate-abuse (ESC) edges BloodHound derives from them.

const OBJECT_KINDS: Record<string, { kind: NodeKind; label: string }> = {
  users: { kind: 'og_identity', label: 'User' },
  computers: { kind: 'og_identity', label: 'Computer' },
  groups: { kind: 'og_group', label: 'Group' },
  domains: { kind: 'og_boundary', label: 'Domain' },
  gpos: { kind: 'og_object', label: 'GPO' },
  ous: { kind: 'og_object', label: 'OU' },
  containers: { kind: 'og_object', label: 'Container' },
  // AD CS objects, which SharpHound CE collects by default (their ACEs are edges like any other object's).
  certtemplates: { kind: 'og_object', label: 'CertTemplate' },
  enterprisecas: { kind: 'og_object', label: 'EnterpriseCA' },
  rootcas: { kind: 'og_object', label: 'RootCA' },
  aiacas: { kind: 'og_object', label: 'AIACA' },
  ntauthstores: { kind: 'og_object', label: 'NTAuthStore' },
  issuancepolicies: { kind: 'og_object', label: 'IssuancePolicy' },
};

/** Local groups of a computer whose members gain it, by the RID that ends the group's SID. */
const LOCAL_GROUP_EDGES: Record<string, string> = { '544': 'AdminTo', '555': 'CanRDP', '562': 'ExecuteDCOM', '580': 'CanPSRemote' };

/** SharpHound before CE (BloodHound 4's collections) wrote each local group of a computer as a block of its own. */
const LEGACY_LOCAL_GROUPS: Record<string, string> = { LocalAdmins: 'AdminTo', RemoteDesktopUsers: 'CanRDP', DcomUsers: 'ExecuteDCOM', PSRemoteUsers: 'CanPSRemote' };

/** Well-known groups that control a domain (BloodHound's tier zero): Domain Admins, Enterprise Admins, Administrators. */
const TIER_ZERO_RIDS = /-(512|519|544)$/;

const EDGE_CHUNK = 50_000;

export const sharphound: Importer = {
  format: 'bloodhound-sharphound',
  title: 'SharpHound collection JSON (BloodHound legacy format)',
  provider: 'opengraph',
  producedBy: 'SharpHound / AzureHound-era collectors: users.json, groups.json, computers.json, domains.json',
  emits: ['MEMBER_OF', 'OPENGRAPH_EDGE'],
  detect(probe) {
    if (!probe.looksJson || !/"data"\s*:\s*\[/.test(probe.head)) return 0;
    return /"ObjectIdentifier"\s*:/.test(probe.head) && /"Properties"\s*:/.test(probe.head) ? 0.9 : 0;
  },
  *parse(input) {
    const file = input.fileName;
    const root = input.json();
    if (!isObject(root) || !Array.isArray(root['data'])) throw new ImportError(file, 'expected {"data": [...], "meta": {...}}', '$');
    const meta = isObject(root['meta']) ? root['meta'] : {};
    const type = typeof meta['type'] === 'string' ? meta['type'].toLowerCase() : undefined;
    const objectKind = type ? OBJECT_KINDS[type] : undefined;
    if (!objectKind) throw new ImportError(file, `unknown or missing collection type ${shown(meta['type'])}; expected one of ${Object.keys(OBJECT_KINDS).join(', ')}`, '$.meta.type');
    const data = root['data'];

    let fragment: GraphFragment = { nodes: [], edges: [], warnings: [], marks: [] };
    if (typeof meta['count'] === 'number' && meta['count'] !== data.length) {
      fragment.warnings.push({ message: `meta.count says ${meta['count']} objects but the file holds ${data.length}; all ${data.length} were read`, location: '$.meta.count' });
    }
    const described = new Set<string>();
    const referenced = new Map<string, NodeFact>();
    const refer = (sid: string, typeName: unknown) => {
      const id = ids.opengraph(sid);
      if (!described.has(id) && !referenced.has(id)) referenced.set(id, stubNode(sid, typeName));
      return id;
    };
    const edge = (from: string, to: string, technique: string, at: string, extra: JsonObject = {}): EdgeFact => ({
      from,
      to,
      kind: technique === 'MemberOf' ? 'MEMBER_OF' : 'OPENGRAPH_EDGE',
      props: { technique, at, ...extra },
    });

    for (let i = 0; i < data.length; i++) {
      if (fragment.edges.length >= EDGE_CHUNK) {
        yield fragment;
        fragment = { nodes: [], edges: [], warnings: [], marks: [] };
      }
      const raw: unknown = data[i];
      const at = jsonPath('data', i);
      if (!isObject(raw)) throw new ImportError(file, 'expected an object', at);
      const sid = raw['ObjectIdentifier'];
      if (typeof sid !== 'string' || !sid) throw new ImportError(file, 'an object needs a string "ObjectIdentifier"', `${at}.ObjectIdentifier`);
      const props = raw['Properties'];
      if (!isObject(props)) throw new ImportError(file, 'an object needs "Properties"', `${at}.Properties`);
      const node = describeNode(sid, props, objectKind, raw);
      described.add(node.id);
      referenced.delete(node.id);
      fragment.nodes.push(node);
      if (objectKind.label === 'Domain' || TIER_ZERO_RIDS.test(sid) || raw['IsDC'] === true) {
        fragment.marks!.push({ nodeId: node.id, mark: 'high-value', note: `tier zero in Active Directory (${node.name})` } satisfies MarkRequest);
      }

      forEachArray(raw['Members'], (m, j) => {
        if (isObject(m) && typeof m['ObjectIdentifier'] === 'string') fragment.edges.push(edge(refer(m['ObjectIdentifier'], m['ObjectType']), node.id, 'MemberOf', `${at}.Members[${j}]`));
      });
      forEachArray(raw['Aces'], (ace, j) => {
        if (!isObject(ace) || typeof ace['PrincipalSID'] !== 'string' || typeof ace['RightName'] !== 'string') return;
        fragment.edges.push(edge(refer(ace['PrincipalSID'], ace['PrincipalType']), node.id, ace['RightName'], `${at}.Aces[${j}]`, { inherited: ace['IsInherited'] === true }));
      });
      forEachArray(raw['AllowedToDelegate'], (t, j) => {
        if (isObject(t) && typeof t['ObjectIdentifier'] === 'string') fragment.edges.push(edge(node.id, refer(t['ObjectIdentifier'], t['ObjectType']), 'AllowedToDelegate', `${at}.AllowedToDelegate[${j}]`));
      });
      // Resource-based constrained delegation: the listed principals may act for any user on this computer.
      forEachArray(raw['AllowedToAct'], (t, j) => {
        if (isObject(t) && typeof t['ObjectIdentifier'] === 'string') fragment.edges.push(edge(refer(t['ObjectIdentifier'], t['ObjectType']), node.id, 'AllowedToAct', `${at}.AllowedToAct[${j}]`));
      });
      // A SID in the object's SID history gives it that principal's rights.
      forEachArray(raw['HasSIDHistory'], (t, j) => {
        if (isObject(t) && typeof t['ObjectIdentifier'] === 'string') fragment.edges.push(edge(node.id, refer(t['ObjectIdentifier'], t['ObjectType']), 'HasSIDHistory', `${at}.HasSIDHistory[${j}]`));
      });
      // Whoever controls a computer can take the credentials of the users logged on to it.
      for (const key of ['Sessions', 'PrivilegedSessions', 'RegistrySessions']) {
        const block = raw[key];
        if (!isObject(block)) continue;
        forEachArray(block['Results'], (s, j) => {
          if (isObject(s) && typeof s['UserSID'] === 'string') fragment.edges.push(edge(node.id, refer(s['UserSID'], 'User'), 'HasSession', `${at}.${key}.Results[${j}]`));
        });
      }
      forEachArray(raw['LocalGroups'], (group, j) => {
        if (!isObject(group) || typeof group['ObjectIdentifier'] !== 'string') return;
        const technique = LOCAL_GROUP_EDGES[group['ObjectIdentifier'].split('-').pop() ?? ''];
        if (!technique) return;
        forEachArray(group['Results'], (member, k) => {
          if (isObject(member) && typeof member['ObjectIdentifier'] === 'string') {
            fragment.edges.push(edge(refer(member['ObjectIdentifier'], member['ObjectType']), node.id, technique, `${at}.LocalGroups[${j}].Results[${k}]`));
          }
        });
      });
      for (const key in LEGACY_LOCAL_GROUPS) {
        const block = raw[key];
        if (!isObject(block)) continue;
        forEachArray(block['Results'], (member, k) => {
          if (isObject(member) && typeof member['ObjectIdentifier'] === 'string') fragment.edges.push(edge(refer(member['ObjectIdentifier'], member['ObjectType']), node.id, LEGACY_LOCAL_GROUPS[key]!, `${at}.${key}.Results[${k}]`));
        });
      }
      forEachArray(raw['Trusts'], (trust, j) => {
        if (!isObject(trust) || typeof trust['TargetDomainSid'] !== 'string') return;
        const other = refer(trust['TargetDomainSid'], 'Domain');
        const stub = referenced.get(other);
        if (stub && typeof trust['TargetDomainName'] === 'string') stub.name = trust['TargetDomainName'];
        // A trusting domain lets the trusted one's principals in: attacker flow runs from the trusted to the trusting side.
        const direction = trust['TrustDirection'];
        const details: JsonObject = { trustType: String(trust['TrustType'] ?? ''), sidFiltering: trust['SidFilteringEnabled'] === true, transitive: trust['IsTransitive'] === true };
        if (direction === 'Inbound' || direction === 'Bidirectional' || direction === 2 || direction === 3) fragment.edges.push(edge(node.id, other, 'TrustedBy', `${at}.Trusts[${j}]`, details));
        if (direction === 'Outbound' || direction === 'Bidirectional' || direction === 1 || direction === 3) fragment.edges.push(edge(other, node.id, 'TrustedBy', `${at}.Trusts[${j}]`, details));
      });
    }
    fragment.nodes.push(...referenced.values());
    yield fragment;
  },
};

function describeNode(sid: string, props: Record<string, unknown>, objectKind: { kind: NodeKind; label: string }, raw: Record<string, unknown>): NodeFact {
  const name = typeof props['name'] === 'string' && props['name'] ? props['name'] : sid;
  const handles = [sid, name];
  for (const key of ['samaccountname', 'distinguishedname', 'email', 'userprincipalname']) {
    const v = props[key];
    if (typeof v === 'string' && v && !handles.includes(v)) handles.push(v);
  }
  const spns = Array.isArray(props['serviceprincipalnames']) ? props['serviceprincipalnames'].filter((s): s is string => typeof s === 'string') : [];
  const kinds = [objectKind.label];
  if (objectKind.label === 'User' && (spns.length > 0 || props['gmsa'] === true || props['msa'] === true)) kinds.push('ServiceAccount');
  const out: JsonObject = { kinds, objectid: sid };
  for (const [key, value] of Object.entries(props)) {
    // Password attributes are collected as found in the directory; a value there would be a secret.
    if (/password$/i.test(key)) continue;
    if (value !== undefined) out[key] = value as JsonObject[string];
  }
  const lastLogon = epoch(props['lastlogontimestamp']);
  if (lastLogon !== undefined) out['lastUsedAt'] = lastLogon;
  const created = epoch(props['whencreated']);
  if (created) out['createdAt'] = created;
  if (raw['IsDC'] === true) out['isDC'] = true;
  const domainSid = typeof props['domainsid'] === 'string' ? props['domainsid'] : undefined;
  return {
    id: ids.opengraph(sid),
    kind: objectKind.kind,
    name,
    handles,
    props: out,
    ...(domainSid && objectKind.label !== 'Domain' ? { boundary: ids.opengraph(domainSid) } : {}),
  };
}

function stubNode(sid: string, typeName: unknown): NodeFact {
  const type = typeof typeName === 'string' ? typeName.toLowerCase() + 's' : '';
  const kind = OBJECT_KINDS[type]?.kind ?? 'og_object';
  return { id: ids.opengraph(sid), kind, name: sid, handles: [sid], stub: true, props: { kinds: [typeof typeName === 'string' ? typeName : 'Base'], objectid: sid } };
}

/** AD times are epoch seconds; 0 and -1 mean never. null = never, undefined = not collected. */
function epoch(value: unknown): string | null | undefined {
  if (typeof value !== 'number') return undefined;
  if (value <= 0) return null;
  const d = new Date(value * 1000);
  // Past ±275,760 years (or NaN) a Date is invalid: not collected, rather than an engine error.
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

function forEachArray(value: unknown, fn: (item: unknown, index: number) => void): void {
  if (Array.isArray(value)) value.forEach(fn);
}

