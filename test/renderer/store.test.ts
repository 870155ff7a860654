// The zustand slices against a fake engine API: what lands on the canvas, in the panels and in errors.
import { describe, expect, it, vi } from 'vitest';
import type { BlastmapApi, BlastRadius, RendererBridge, ShellCommand } from '../../renderer/contract';
import { browserShell } from '../../renderer/bridge/http';
import { createAppStore, runShellCommand } from '../../renderer/store';
import { REAL_EDGE_LIMIT, rankPaths } from '../../renderer/store/analysis-slice';
import { edgeKey } from '../../renderer/store/graph-slice';
import { edge, node, path } from './fixtures';

function fakeApi(over: Partial<BlastmapApi>): BlastmapApi {
  const missing = (name: string) => () => Promise.reject(new Error(`unexpected call ${name}`));
  return new Proxy(over as BlastmapApi, { get: (t, k: string) => (k in t ? t[k as keyof BlastmapApi] : missing(k)) });
}
function storeWith(over: Partial<BlastmapApi>, shell = browserShell) {
  const bridge: RendererBridge = { api: fakeApi(over), shell };
  return createAppStore(bridge);
}

const key = node('key', { kind: 'aws_access_key', category: 'credential', name: 'AKIAEXAMPLE' });
const user = node('user', { kind: 'aws_user' });
const role = node('role');
const admin = node('admin:acct', { kind: 'admin', category: 'admin', provider: 'generic' });
const bucket = node('bucket', { kind: 'aws_bucket', category: 'resource', boundary: 'acct' });
const acct = node('acct', { kind: 'aws_account', category: 'boundary' });
const e1 = edge('key', 'user', { kind: 'MEMBER_OF' });
const e2 = edge('user', 'role');
const e3 = edge('role', 'admin:acct');
const e4 = edge('role', 'bucket');
const outside = edge('role', 'elsewhere');

function blastOf(reached: number): BlastRadius {
  const r = (n: typeof user, depth: number, p: string[]) => ({ node: n, depth, path: p, conditional: false });
  const many = Array.from({ length: reached }, (_, i) => r(node(`r${i}`, { kind: 'aws_bucket', category: 'resource', boundary: 'acct' }), 2, ['key', 'user', `r${i}`]));
  return {
    origin: key,
    identities: [r(user, 1, ['key', 'user']), r(role, 2, ['key', 'user', 'role'])],
    credentials: [],
    resources: [r(bucket, 3, ['key', 'user', 'role', 'bucket']), ...many],
    admins: [r(admin, 3, ['key', 'user', 'role', 'admin:acct'])],
    byBoundary: [{ boundary: acct, identities: 0, resources: 1 + reached, credentials: 0, admin: true }],
    byAccessLevel: {},
    elapsedMs: 1,
  };
}

const details = (n: typeof key) => ({ node: n, props: {}, handles: [n.name], sources: [], out: [], in: [], marks: [], findings: [], truncated: false });

describe('analysis slice', () => {
  it('blast radius puts the origin, what it reaches and their boundaries on the canvas, with the real edges between them', async () => {
    const neighbors = vi.fn(async () => ({ nodes: [], edges: [e1, e2, e3, e4, outside], truncated: false }));
    const store = storeWith({ blastRadius: async () => blastOf(0), neighbors, node: async ({ id }) => details(id === 'key' ? key : user) });
    await store.getState().runBlast('key');
    const s = store.getState();
    expect(s.mode).toBe('blast');
    expect(s.layout).toBe('force');
    expect(s.layoutIntent).toBe('full');
    expect(Object.keys(s.nodes).sort()).toEqual(['acct', 'admin:acct', 'bucket', 'key', 'role', 'user']);
    expect(Object.keys(s.edges).sort()).toEqual([e1, e2, e3, e4].map((e) => edgeKey(e.id)).sort());
    expect(s.edgeViews[edgeKey(e3.id)]).toEqual(e3);
    expect(s.selectedId).toBe('key');
    expect(s.pinnedIds()).toContain('key');
  });

  it('past the real-edge limit draws the reach tree instead of asking for every neighbour', async () => {
    const neighbors = vi.fn();
    const store = storeWith({ blastRadius: async () => blastOf(REAL_EDGE_LIMIT), neighbors, node: async () => details(key) });
    await store.getState().runBlast('key');
    expect(neighbors).not.toHaveBeenCalled();
    const tree = Object.values(store.getState().edges);
    expect(tree).toHaveLength(REAL_EDGE_LIMIT + 4);
    expect(tree.find((e) => e.to === 'admin:acct')).toMatchObject({ from: 'role', kind: 'REACHES', key: 't:role>admin:acct' });
  });

  it('reports an engine error in the panel, not as an exception', async () => {
    const store = storeWith({ blastRadius: async () => Promise.reject({ code: 'not-found', message: 'no node with id "x" in this case' }) });
    await store.getState().runBlast('x');
    expect(store.getState().blastError).toBe('no node with id "x" in this case');
    expect(store.getState().blastLoading).toBe(false);
  });

  it('paths to "admin or high value" ask both, rank by length, drop duplicates and highlight the first', async () => {
    const hv = node('crown', { marks: ['high-value'] });
    const e5 = edge('user', 'crown');
    const toAdmin = path([key, e1, user], [user, e2, role], [role, e3, admin]);
    const toHv = path([key, e1, user], [user, e5, hv]);
    const paths = vi.fn(async ({ to }: { to: string }) => (to === 'admin' ? [toAdmin] : [toHv, toAdmin]));
    const store = storeWith({ paths: paths as unknown as BlastmapApi['paths'] });
    await store.getState().runPaths('key');
    expect(paths.mock.calls.map(([a]) => a.to).sort()).toEqual(['admin', 'high-value']);
    const s = store.getState();
    expect(s.paths).toEqual([toHv, toAdmin]);
    expect(s.layout).toBe('lanes');
    expect(s.highlightedPath).toBe(0);
    expect([...s.highlightedElements().edges]).toEqual([edgeKey(e1.id), edgeKey(e5.id)]);
    s.highlightPath(1);
    expect(store.getState().highlightedElements().nodes).toEqual(new Set(['key', 'user', 'role', 'admin:acct']));
  });

  it('rankPaths prefers unconditional routes of the same length, and lists a route (its nodes) once', () => {
    const cond = path([key, edge('key', 'role', { conditional: 'MFA present' }), role]);
    const plain = path([key, e1, user]);
    const sameRoute = path([key, edge('key', 'user', { kind: 'OBSERVED_USE' }), user]);
    expect(rankPaths([[cond], [plain, sameRoute, plain]], 10)).toEqual([plain, cond]);
  });

  it('a step of a path selects its edge and keeps that path highlighted; undo brings the canvas back', async () => {
    const toAdmin = path([key, e1, user], [user, e2, role], [role, e3, admin]);
    const other = path([key, e1, user], [user, e4, bucket]);
    const store = storeWith({ paths: (async () => [toAdmin, other]) as unknown as BlastmapApi['paths'] });
    store.setState({ nodes: { key }, graphSeq: 1 });
    await store.getState().runPaths('key', 'admin');
    // Shortest first: the two-step route to the bucket, then the route to admin.
    expect(store.getState().paths).toEqual([other, toAdmin]);
    store.getState().selectStep(0, edgeKey(e4.id));
    let s = store.getState();
    expect(s.highlightedPath).toBe(0);
    expect(s.selectedEdge).toBe(edgeKey(e4.id));
    expect(s.highlightedElements().edges.has(edgeKey(e4.id))).toBe(true);
    // The canvas before the paths came back, and the paths again after a redo.
    s.undo();
    s = store.getState();
    expect(Object.keys(s.nodes)).toEqual(['key']);
    expect(s.layoutIntent).toBe('restore');
    s.redo();
    expect(Object.keys(store.getState().nodes).sort()).toEqual(['admin:acct', 'bucket', 'key', 'role', 'user']);
  });
});

describe('graph and selection slices', () => {
  it('collapse removes the neighbours that hang on the node alone, keeping marked and shared ones', async () => {
    const marked = node('marked', { marks: ['compromised'] });
    const shared = node('shared');
    const leaf = node('leaf');
    const other = node('other');
    const store = storeWith({});
    store.getState().addSubgraph({ nodes: [role, leaf, marked, shared, other], edges: [edge('role', 'leaf'), edge('role', 'marked'), edge('role', 'shared'), edge('other', 'shared')], truncated: false });
    store.getState().collapse('role');
    expect(Object.keys(store.getState().nodes).sort()).toEqual(['marked', 'other', 'role', 'shared']);
    expect(Object.values(store.getState().edges).some((e) => e.to === 'leaf')).toBe(false);
  });

  it('a slow answer for an earlier selection does not overwrite a later one', async () => {
    let release: () => void = () => undefined;
    const slow = new Promise<void>((r) => (release = r));
    const store = storeWith({
      node: async ({ id }) => {
        if (id === 'user') await slow;
        return details(id === 'user' ? user : role);
      },
    });
    const first = store.getState().select('user');
    await store.getState().select('role');
    release();
    await first;
    expect(store.getState().details?.node.id).toBe('role');
  });

  it('marks go to the engine and show on the canvas node at once', async () => {
    const mark = vi.fn(async () => []);
    const store = storeWith({ mark, node: async () => details(role) });
    store.getState().addSubgraph({ nodes: [role], edges: [], truncated: false });
    await store.getState().select('role');
    await store.getState().setMark('compromised', true, 'key found in a public repo');
    expect(mark).toHaveBeenCalledWith({ ids: ['role'], mark: 'compromised', note: 'key found in a public repo', by: 'user' });
    expect(store.getState().nodes['role']?.marks).toEqual(['compromised']);
  });
});

describe('case slice', () => {
  it('an import failure keeps the engine error (file and location) for the dialog', async () => {
    const failure = { code: 'bad-input', message: 'a node needs "kinds"', file: 'x.json', location: '$.graph.nodes[0].kinds' };
    const store = storeWith({ importFiles: async () => Promise.reject(failure), importProgress: async () => null });
    await store.getState().importFiles([{ name: 'x.json', contentBase64: 'e30=' }]);
    expect(store.getState().importState).toMatchObject({ running: false, error: failure, cancelled: false });
  });

  it('polls progress while an import runs, and a cancel is reported as a cancel', async () => {
    vi.useFakeTimers();
    try {
      let reject: (e: unknown) => void = () => undefined;
      const progress = { file: 'big.json', index: 0, total: 1, phase: 'writing' as const, nodes: 10, edges: 5 };
      const cancelImport = vi.fn(async () => {
        reject({ code: 'cancelled', message: 'import cancelled' });
        return { cancelled: true };
      });
      const store = storeWith({ importFiles: () => new Promise((_, r) => (reject = r)), importProgress: async () => progress, cancelImport });
      const running = store.getState().importFiles([{ path: '/tmp/big.json' }]);
      expect(store.getState().importState.running).toBe(true);
      await vi.advanceTimersByTimeAsync(300);
      expect(store.getState().importState.progress).toEqual(progress);
      await store.getState().cancelImport();
      await running;
      expect(store.getState().importState).toMatchObject({ running: false, cancelled: true });
    } finally {
      vi.useRealTimers();
    }
  });

  it('after a successful import reloads the case; an empty canvas becomes the estate overview', async () => {
    const result = { sources: [], warnings: [], counts: { nodes: 1, edges: 0, derivedEdges: 0, findings: 0, marks: 0 }, elapsedMs: 3 };
    const caseInfo = vi.fn(async () => ({ path: '/c.blastmap', schemaVersion: 1, sources: [], counts: result.counts }));
    const overview = vi.fn(async () => ({ nodes: [acct], edges: [], truncated: false }));
    const estate = vi.fn(async () => ({ boundaries: [], outside: { nodes: 0, identities: 0, credentials: 0, resources: 0, groups: 0, admins: 0, findings: {} }, trust: [], marked: [], topFindings: [], elapsedMs: 0 }));
    const store = storeWith({ importFiles: async () => result, importProgress: async () => null, caseInfo, overview, estate });
    await store.getState().importFiles([{ path: '/x.json' }]);
    expect(caseInfo).toHaveBeenCalled();
    expect(Object.keys(store.getState().nodes)).toEqual(['acct']);
    expect(store.getState()).toMatchObject({ estateShown: true, mode: 'explore', importState: { result } });
  });

  it('after a successful import keeps the canvas the user built (and says the analysis predates the import)', async () => {
    const result = { sources: [], warnings: [], counts: { nodes: 9, edges: 0, derivedEdges: 0, findings: 0, marks: 0 }, elapsedMs: 3 };
    const caseInfo = vi.fn(async () => ({ path: '/c.blastmap', schemaVersion: 1, sources: [], counts: result.counts }));
    const overview = vi.fn();
    const store = storeWith({ importFiles: async () => result, importProgress: async () => null, caseInfo, overview });
    store.setState({ nodes: { key, user }, mode: 'blast', blast: blastOf(0), findings: [] });
    await store.getState().importFiles([{ path: '/x.json' }]);
    expect(overview).not.toHaveBeenCalled();
    expect(Object.keys(store.getState().nodes)).toEqual(['key', 'user']);
    expect(store.getState()).toMatchObject({ mode: 'blast', findings: null });
    expect(store.getState().notice?.text).toMatch(/before this import/);
  });

  it('Electron: the native picker\'s paths are imported with the chosen options', async () => {
    const importFiles = vi.fn(async () => Promise.reject({ code: 'bad-input', message: 'stop here' }));
    const shell = { ...browserShell, mode: 'electron' as const, pickImportFiles: async () => [{ path: '/exports/gaad.json' }] };
    const store = storeWith({ importFiles, importProgress: async () => null }, shell);
    await store.getState().pickAndImport({ account: '111111111111' });
    expect(importFiles).toHaveBeenCalledWith({ files: [{ path: '/exports/gaad.json' }], options: { account: '111111111111' } });
    expect(store.getState().importState.error?.message).toBe('stop here');
  });

  it('routes the Electron shell menu commands', () => {
    let listener: ((c: ShellCommand) => void) | undefined;
    const store = createAppStore({ api: fakeApi({}), shell: { ...browserShell, onCommand: (l) => ((listener = l), () => undefined) } });
    listener?.('import');
    expect(store.getState().importOpen).toBe(true);
    listener?.('toggle-theme');
    expect(store.getState().theme).toBe('dark');
    runShellCommand(store, 'export-png');
    expect(store.getState().command?.type).toBe('export-png');
  });
});
