// Large CloudTrail logs, OpenGraph graphs and Kubernetes Lists are streamed, not parsed whole: the streamed reading
// must give exactly what the whole reading gives, for every fixture and for the shapes the formats allow.
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openEngine } from '../../src/api/engine.js';
import { cloudtrail } from '../../src/importers/cloudtrail.js';
import { ImportError } from '../../src/importers/errors.js';
import { openInput } from '../../src/importers/input.js';
import { kubernetes } from '../../src/importers/kubernetes.js';
import { DEFAULT_LIMITS } from '../../src/importers/limits.js';
import { opengraph } from '../../src/importers/opengraph.js';
import { detectImporter } from '../../src/importers/registry.js';
import type { Importer } from '../../src/importers/types.js';
import { record } from '../bench/cloudtrail.js';
import { FIXTURES, parseAll, tempCase, tempDir } from '../helpers.js';

const STREAM = { ...DEFAULT_LIMITS, streamAboveBytes: 0 };
const IMPORTERS: Importer[] = [cloudtrail, opengraph, kubernetes];

function* fixtureFiles(dir: string): Iterable<string> {
  for (const name of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, name.name);
    if (name.isDirectory()) {
      if (name.name !== 'fuzz-crashers') yield* fixtureFiles(full);
    } else if (/\.(json|jsonl)$/.test(name.name)) yield full;
  }
}

/** The importer's answer for a file read whole and streamed (large), or the error each gives. */
async function both(importer: Importer, path: string, options = {}) {
  const name = path.split('/').pop()!;
  const run = async (limits: typeof DEFAULT_LIMITS) => {
    const input = await openInput(name, path, limits);
    if (limits === STREAM) expect(input.large).toBe(true);
    try {
      return await parseAll(importer, input, options);
    } catch (err) {
      if (err instanceof ImportError) return { error: err.detail.replace(/ \(.*\)$/, ''), located: err.location !== undefined };
      throw err;
    }
  };
  return { whole: await run(DEFAULT_LIMITS), streamed: await run(STREAM) };
}

function write(text: string, name = 'f.json'): string {
  const path = join(tempDir(), name);
  writeFileSync(path, text);
  return path;
}

describe('streamed reading gives what whole reading gives', () => {
  it('for every CloudTrail, OpenGraph and Kubernetes JSON fixture', async () => {
    let compared = 0;
    for (const path of fixtureFiles(FIXTURES)) {
      const input = await openInput(path.split('/').pop()!, path);
      let format: string;
      try {
        format = detectImporter(input).format;
      } catch {
        continue;
      }
      const importer = IMPORTERS.find((i) => i.format === format);
      if (!importer) continue;
      const { whole, streamed } = await both(importer, path, { cluster: 'c' });
      expect(streamed, path).toEqual(whole);
      compared++;
    }
    expect(compared).toBeGreaterThanOrEqual(20);
  });

  it('for the shapes CloudTrail files take: Records, Events, arrays, single records, digests, empty logs, JSON-lines', async () => {
    const r = [record(1), record(2), { ...record(3), eventTime: 1e16 }];
    const lookup = r.map((x) => ({ EventId: x['eventID'], EventName: x['eventName'], CloudTrailEvent: JSON.stringify(x) }));
    for (const text of [
      JSON.stringify({ Records: r }, null, 2),
      JSON.stringify({ Events: lookup, NextToken: 'x' }),
      JSON.stringify(r),
      JSON.stringify(r[0]),
      JSON.stringify({ 'detail-type': 'AWS API Call via CloudTrail', detail: r[1] }),
      JSON.stringify({ Records: [] }),
      JSON.stringify({ digestStartTime: '2026-01-01T00:00:00Z', logFiles: [] }),
      r.map((x) => JSON.stringify(x)).join('\n') + '\nnot json\n',
      '42',
      '{"Records": [',
    ]) {
      const { whole, streamed } = await both(cloudtrail, write(text));
      expect(streamed, text.slice(0, 80)).toEqual(whole);
    }
  });

  it('for OpenGraph metadata after the graph, and broken graphs', async () => {
    const graph = { nodes: [{ id: 'a', kinds: ['User', 'Tier_Zero'], properties: { name: 'A' } }, { id: 'b', kinds: ['Group'], properties: { name: 'B' } }], edges: [{ kind: 'MemberOf', start: { value: 'a' }, end: { value: 'B', match_by: 'name' } }, { kind: 'X', start: { value: 'zz' }, end: { value: 'nobody', match_by: 'name' } }] };
    for (const text of [
      JSON.stringify({ graph, metadata: { source_kind: 'Test' } }),
      JSON.stringify({ metadata: { source_kind: 'Test' }, graph: { edges: graph.edges, nodes: graph.nodes } }),
      JSON.stringify({ graph: { nodes: graph.nodes } }),
      JSON.stringify({ graph: { nodes: {}, edges: [] } }),
      JSON.stringify({ graph: [] }),
      JSON.stringify({ nodes: [] }),
      JSON.stringify([graph]),
      JSON.stringify({ graph: { nodes: [{ id: 'a' }], edges: [] } }),
      // Metadata first: the node pass ends after the nodes; what follows is still read, and refused, by the edge pass.
      JSON.stringify({ metadata: { source_kind: 'Test' }, graph: { nodes: graph.nodes, edges: graph.edges } }),
      JSON.stringify({ metadata: { source_kind: 'Test' }, graph: { nodes: graph.nodes, edges: {} } }),
    ]) {
      const { whole, streamed } = await both(opengraph, write(text));
      expect(streamed, text.slice(0, 80)).toEqual(whole);
    }
    // Broken after the nodes: refused with a place either way (the streamed scan words a syntax error its own way).
    const metadataFirst = JSON.stringify({ metadata: { source_kind: 'Test' }, graph: { nodes: graph.nodes, edges: graph.edges } });
    for (const text of [`${metadataFirst.slice(0, -3)} oops`, `${metadataFirst} trailing`]) {
      const { whole, streamed } = await both(opengraph, write(text));
      expect(whole).toMatchObject({ error: expect.stringMatching(/^invalid JSON/), located: true });
      expect(streamed, text.slice(-20)).toMatchObject({ error: expect.stringMatching(/^invalid JSON/), located: true });
    }
  });

  it('for Kubernetes Lists whose kind comes after the items, arrays, single objects, and secrets whose values never stay', async () => {
    const sa = { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'ci', namespace: 'prod', managedFields: [{ manager: 'kubectl' }], annotations: { 'eks.amazonaws.com/role-arn': 'arn:aws:iam::111111111111:role/ci', 'kubectl.kubernetes.io/last-applied-configuration': '{"secret":"x"}' } } };
    const secret = { apiVersion: 'v1', kind: 'Secret', type: 'kubernetes.io/service-account-token', metadata: { name: 'ci-token', namespace: 'prod', annotations: { 'kubernetes.io/service-account.name': 'ci' } }, data: { token: 'c2VjcmV0LXRva2VuLXZhbHVl' } };
    const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg', namespace: 'prod' }, data: { big: 'x'.repeat(1000) } };
    for (const text of [
      JSON.stringify({ apiVersion: 'v1', items: [sa, secret, cm], kind: 'List', metadata: { resourceVersion: '' } }),
      JSON.stringify({ kind: 'ServiceAccountList', apiVersion: 'v1', items: [sa] }),
      JSON.stringify([sa, secret]),
      JSON.stringify(sa),
      JSON.stringify({ kind: 'List', items: [{ kind: 'List', items: [sa] }] }),
      JSON.stringify({ kind: 'List', items: [{ metadata: {} }] }),
      JSON.stringify({ kind: 'List', items: 'none' }),
    ]) {
      const { whole, streamed } = await both(kubernetes, write(text), { cluster: 'c' });
      expect(streamed, text.slice(0, 80)).toEqual(whole);
    }
  });

  it('for pods read as they stream, before the accounts and workloads they name', async () => {
    // Pods are read into their props as the List streams; the account's automount setting, the deployment that
    // controls them and the cluster named in metadata come later in the file and must still count.
    const pod = (name: string, spec: object, meta: object = {}) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'prod', labels: { app: 'web', 'pod-template-hash': '5d8f' }, ownerReferences: [{ kind: 'ReplicaSet', name: 'web-5d8f', controller: true }], ...meta }, spec, status: { phase: 'Running' } });
    const pods = [
      pod('web-5d8f-a', { serviceAccountName: 'quiet', nodeName: 'n1', containers: [{ name: 'app', image: 'web:1', securityContext: { privileged: true } }, { name: 'side', image: 'web:1' }], volumes: [{ hostPath: { path: '/' } }, { hostPath: { path: '/' } }] }, { clusterName: 'from-meta' }),
      pod('web-5d8f-b', { initContainers: [{ name: 'init', image: 'busybox' }], containers: [{ image: 'web:2' }], hostPID: true, automountServiceAccountToken: true }),
      pod('plain', { serviceAccount: 'quiet' }, { ownerReferences: [{ kind: 'Job', name: 'backup-28000' }], annotations: { owner: 'team-a' } }),
    ];
    const later = [
      { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'quiet', namespace: 'prod' }, automountServiceAccountToken: false },
      { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'prod' }, spec: { template: { spec: { serviceAccountName: 'quiet' } } } },
      { apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'backup', namespace: 'prod' }, spec: { jobTemplate: { spec: { template: { spec: {} } } } } },
    ];
    for (const [text, options] of [
      [JSON.stringify({ apiVersion: 'v1', items: [...pods, ...later], kind: 'List' }), {}],
      [JSON.stringify({ apiVersion: 'v1', kind: 'PodList', items: pods }), { cluster: 'c' }],
      [JSON.stringify({ kind: 'List', items: [...pods, { kind: 'Pod', metadata: { namespace: 'prod' } }] }), { cluster: 'c' }],
    ] as const) {
      const { whole, streamed } = await both(kubernetes, write(text), options);
      // As JSON: the props' key order is what the case stores.
      expect(JSON.stringify(streamed), text.slice(0, 80)).toBe(JSON.stringify(whole));
    }
    const { whole } = await both(kubernetes, write(JSON.stringify({ kind: 'List', items: [...pods, ...later] })));
    const nodes = 'nodes' in whole ? whole.nodes : [];
    const a = nodes.find((n) => n.id.endsWith('/pod/web-5d8f-a'));
    expect(a?.props).toMatchObject({ tokenMounted: false, controlledBy: expect.stringMatching(/\/deployment\/web$/), privilegedContainers: ['app'], images: ['web:1'], hostPaths: ['/'] });
    expect(a?.id).toMatch(/^k8s:from-meta\//);
    expect(nodes.find((n) => n.id.endsWith('/pod/web-5d8f-b'))?.props).toMatchObject({ tokenMounted: true, images: ['busybox', 'web:2'], hostPID: true });
  });
});

describe('files past the whole-read limit', () => {
  it('import when their format streams, and are refused with the limit named when it does not', async () => {
    const limits = { ...DEFAULT_LIMITS, maxWholeBytes: 4096, streamAboveBytes: 4096 };
    const dir = tempDir();
    const ct = join(dir, 'trail.json');
    writeFileSync(ct, JSON.stringify({ Records: Array.from({ length: 200 }, (_, i) => record(i)) }));
    const lines = join(dir, 'trail.jsonl');
    writeFileSync(lines, Array.from({ length: 200 }, (_, i) => JSON.stringify(record(i))).join('\n'));
    const engine = openEngine(tempCase(), { create: true });
    try {
      const result = await engine.importWithHooks({ files: [{ path: ct }, { path: lines }] }, { limits });
      expect(result.sources.map((s) => s.format)).toEqual(['cloudtrail', 'cloudtrail']);
      expect(result.counts.edges).toBeGreaterThan(10);
      const gaad = join(dir, 'gaad.json');
      writeFileSync(gaad, JSON.stringify({ UserDetailList: Array.from({ length: 100 }, (_, i) => ({ UserName: `u${i}`, Arn: `arn:aws:iam::111111111111:user/u${i}`, UserId: `AIDA${i}` })), RoleDetailList: [], GroupDetailList: [], Policies: [] }));
      await expect(engine.importWithHooks({ files: [{ path: gaad }] }, { limits })).rejects.toMatchObject({ code: 'bad-input', message: expect.stringMatching(/^gaad\.json: the file is \d+(\.\d)? KiB: this format is read whole, up to 4 KiB/) });
    } finally {
      engine.close();
    }
  });
});
