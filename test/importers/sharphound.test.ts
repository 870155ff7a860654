import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createInput } from '../../src/importers/input.js';
import { detectImporter } from '../../src/importers/registry.js';
import { sharphound } from '../../src/importers/sharphound.js';
import type { GraphFragment } from '../../src/model/fragment.js';
import { cli, FIXTURES, parseAll, REAL, tempCase } from '../helpers.js';

const DOMAIN_SID = 'S-1-5-21-2697957641-2271029196-387917394';
const sample = (type: string) => join(REAL, 'bloodhound', `bhce-ad-sample-phantom-corp-${type}.json`);
const parse = (path: string): Promise<GraphFragment> => parseAll(sharphound, createInput(path.split('/').pop()!, readFileSync(path)));
const parseText = (text: string): Promise<GraphFragment> => parseAll(sharphound, createInput('t.json', Buffer.from(text)));

describe('SharpHound collection importer', () => {
  it('is detected from content for each collection file, not from OpenGraph', () => {
    for (const type of ['users', 'groups', 'computers', 'domains']) {
      expect(detectImporter(createInput(`${type}.json`, readFileSync(sample(type)))).format).toBe('bloodhound-sharphound');
    }
  });

  it('reads the AD CS files SharpHound CE writes beside the others (BloodHound\'s v6 ingest fixtures)', async () => {
    // rootcas.json and ntauthstores.json were refused as an unknown type, failing an import of the whole collection.
    const v6 = (name: string) => join(FIXTURES, 'bloodhound', 'sharphound-v6', name);
    for (const name of ['rootcas.json', 'ntauthstores.json']) expect(detectImporter(createInput(name, readFileSync(v6(name)))).format).toBe('bloodhound-sharphound');
    const f = await parse(v6('rootcas.json'));
    const ca = f.nodes.find((n) => n.id === 'og:4B5183E1-DB57-4A57-8159-3E9649F3B01C')!;
    expect(ca).toMatchObject({ kind: 'og_object', name: 'ESC1-ESC1-DC-CA@ESC1.LOCAL', boundary: 'og:S-1-5-21-909015691-3030120388-2582151266', props: { kinds: ['RootCA'] } });
    // Eight ACEs, each an edge from its principal; the principals are stubs, not invented objects.
    expect(f.edges.filter((e) => e.to === ca.id).map((e) => e.props?.technique)).toEqual(['Owns', 'GenericAll', 'GenericAll', 'GenericAll', 'GenericAll', 'GenericAll', 'WriteDacl', 'WriteOwner']);
    expect(f.nodes.filter((n) => n.id !== ca.id).every((n) => n.stub)).toBe(true);
    const store = await parse(v6('ntauthstores.json'));
    expect(store.nodes.find((n) => !n.stub)?.props?.['kinds']).toEqual(['NTAuthStore']);
  });

  it('reads a computer\'s local groups as SharpHound before CE wrote them, and its delegation and SID history', async () => {
    // Scenario of the shape of BloodHound's v6 ingest fixture computers.json: LocalAdmins, RemoteDesktopUsers, DcomUsers and
    // PSRemoteUsers blocks (not LocalGroups) were passed over, and so were AllowedToAct and HasSIDHistory.
    const d = 'S-1-5-21-3130019616-2776909439-2417379446';
    const members = (...sids: string[]) => ({ Results: sids.map((sid) => ({ ObjectIdentifier: sid, ObjectType: 'User' })), Collected: true, FailureReason: null });
    const f = await parseText(JSON.stringify({
      meta: { methods: 46067, type: 'computers', count: 1, version: 5 },
      data: [{
        ObjectIdentifier: `${d}-1104`,
        Properties: { name: 'WIN10.TESTLAB.LOCAL', domainsid: d },
        AllowedToAct: [{ ObjectIdentifier: `${d}-12345`, ObjectType: 'Computer' }],
        HasSIDHistory: [{ ObjectIdentifier: `${d}-12344`, ObjectType: 'User' }],
        LocalAdmins: members(`${d}-1105`),
        RemoteDesktopUsers: members(`${d}-1106`),
        DcomUsers: { Results: [], Collected: false, FailureReason: null },
        PSRemoteUsers: members(`${d}-1107`),
        Aces: [],
      }],
    }));
    const computer = `og:${d}-1104`;
    const edges = f.edges.map((e) => [e.from, e.props?.technique, e.to, e.props?.at]);
    expect(edges).toEqual(expect.arrayContaining([
      [`og:${d}-12345`, 'AllowedToAct', computer, '$.data[0].AllowedToAct[0]'],
      [computer, 'HasSIDHistory', `og:${d}-12344`, '$.data[0].HasSIDHistory[0]'],
      [`og:${d}-1105`, 'AdminTo', computer, '$.data[0].LocalAdmins.Results[0]'],
      [`og:${d}-1106`, 'CanRDP', computer, '$.data[0].RemoteDesktopUsers.Results[0]'],
      [`og:${d}-1107`, 'CanPSRemote', computer, '$.data[0].PSRemoteUsers.Results[0]'],
    ]));
    expect(edges).toHaveLength(5);
  });

  it('refuses the ZIP SharpHound saves, saying to extract the JSON files', () => {
    // A stored (uncompressed) ZIP entry header and its name, as SharpHound's <timestamp>_BloodHound.zip starts.
    const zip = Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0, 0, 0, 8, 0]), Buffer.alloc(20), Buffer.from('20240305110018_users.json')]);
    expect(() => createInput('20240305110018_BloodHound.zip', zip)).toThrow(/20240305110018_BloodHound\.zip \(byte \d+\): this is a ZIP archive .*extract it and import the JSON files/);
  });

  it('reads every user, flags service accounts, warns that meta.count disagrees, and keeps no password attribute', async () => {
    const f = await parse(sample('users'));
    const users = f.nodes.filter((n) => !n.stub);
    expect(users).toHaveLength(53);
    expect(f.warnings).toEqual([expect.objectContaining({ location: '$.meta.count', message: expect.stringContaining('49') })]);
    const serviceAccounts = users.filter((n) => (n.props?.['kinds'] as string[]).includes('ServiceAccount')).map((n) => n.name);
    // three users with SPNs, seven gMSAs and one standalone MSA
    expect(serviceAccounts).toEqual(expect.arrayContaining(['KRBTGT@PHANTOM.CORP', 'ADMINISTRATOR@PHANTOM.CORP', 'SVC_KERB_DEL@PHANTOM.CORP', 'GMSA_SHS7$@PHANTOM.CORP']));
    expect(serviceAccounts).toHaveLength(11);
    const krbtgt = users.find((n) => n.name === 'KRBTGT@PHANTOM.CORP')!;
    expect(krbtgt.boundary).toBe(`og:${DOMAIN_SID}`);
    expect(krbtgt.handles).toEqual(expect.arrayContaining(['krbtgt', 'CN=KRBTGT,CN=USERS,DC=PHANTOM,DC=CORP']));
    expect(Object.keys(krbtgt.props ?? {}).some((k) => /password$/i.test(k))).toBe(false);
    // Domain Admins own KRBTGT: the ACE becomes an attack edge from the group to the user.
    expect(f.edges).toContainEqual(expect.objectContaining({ from: `og:${DOMAIN_SID}-512`, to: krbtgt.id, kind: 'OPENGRAPH_EDGE', props: expect.objectContaining({ technique: 'Owns' }) }));
    expect(f.edges.filter((e) => e.props?.technique === 'ReadGMSAPassword')).toHaveLength(7);
    expect(f.edges.filter((e) => e.kind === 'OPENGRAPH_EDGE')).toHaveLength(612);
  });

  it('turns group members into MEMBER_OF edges and marks the tier-zero groups high value', async () => {
    const f = await parse(sample('groups'));
    expect(f.edges.filter((e) => e.kind === 'MEMBER_OF')).toHaveLength(78);
    const domainAdmins = `og:${DOMAIN_SID}-512`;
    expect(f.edges.filter((e) => e.kind === 'MEMBER_OF' && e.to === domainAdmins)).toHaveLength(12);
    expect(f.marks?.map((m) => m.nodeId)).toEqual(expect.arrayContaining([domainAdmins, 'og:PHANTOM.CORP-S-1-5-32-544']));
  });

  it('reads sessions and local administrators of computers, and domain trusts', async () => {
    const computers = await parse(sample('computers'));
    const host = `og:${DOMAIN_SID}-1103`;
    expect(computers.edges.filter((e) => e.from === host && e.props?.technique === 'HasSession').map((e) => e.to)).toContain(`og:${DOMAIN_SID}-500`);
    expect(computers.edges).toContainEqual(expect.objectContaining({ from: `og:${DOMAIN_SID}-1138`, props: expect.objectContaining({ technique: 'AdminTo' }) }));
    expect(computers.marks).toContainEqual(expect.objectContaining({ note: expect.stringContaining('DC01.PHANTOM.CORP') }));

    const domains = await parse(sample('domains'));
    const names = domains.nodes.map((n) => n.name);
    expect(names).toEqual(expect.arrayContaining(['PHANTOM.CORP', 'GHOST.CORP', 'REVENANT.CORP', 'WRAITH.CORP']));
    // Two bidirectional trusts give an edge each way, the inbound one a single edge.
    const trusts = domains.edges.filter((e) => e.props?.technique === 'TrustedBy');
    expect(trusts).toHaveLength(5);
  });

  it('imports all four files into one case through the CLI', async () => {
    const path = tempCase();
    const r = await cli('import', ...['users', 'groups', 'computers', 'domains'].map(sample), '--case', path, '--json');
    expect(r.code).toBe(0);
    const found = await cli('search', 'svc_kerb', '--case', path, '--json');
    expect(JSON.parse(found.out)[0].node.name).toBe('SVC_KERB_DEL@PHANTOM.CORP');
  });

  it('names the file and the JSON path of a malformed object', async () => {
    await expect(parseText(JSON.stringify({ data: [{ ObjectIdentifier: 'S-1', Properties: {} }, { Properties: {} }], meta: { type: 'users' } }))).rejects.toThrow(/t\.json.*\$\.data\[1\]\.ObjectIdentifier/);
    await expect(parseText(JSON.stringify({ data: [], meta: { type: 'printers' } }))).rejects.toThrow(/\$\.meta\.type/);
  });
});
