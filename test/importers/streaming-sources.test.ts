// AzureHound collections, Kubernetes, GCP and Azure activity and sign-in logs are streamed, not read whole: JSON-lines always, documents when
// large. The streamed reading must give exactly what the whole reading gives, for every fixture and for the shapes
// the formats allow; a file past the whole-read limit imports; a broken record deep in it is refused with its place.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openEngine } from '../../src/api/engine.js';
import { azureHound } from '../../src/importers/azurehound.js';
import { gcpAuditLog } from '../../src/importers/gcp-audit-log.js';
import { azureActivityLog } from '../../src/importers/azure-activity-log.js';
import { entraAuditLog } from '../../src/importers/entra-audit-log.js';
import { entraSignInLog } from '../../src/importers/entra-sign-in-log.js';
import { ImportError } from '../../src/importers/errors.js';
import { openInput } from '../../src/importers/input.js';
import { k8sAuditLog } from '../../src/importers/k8s-audit-log.js';
import { DEFAULT_LIMITS } from '../../src/importers/limits.js';
import { detectImporter } from '../../src/importers/registry.js';
import type { Importer } from '../../src/importers/types.js';
import { FIXTURES, parseAll, tempCase, tempDir } from '../helpers.js';

const STREAM = { ...DEFAULT_LIMITS, streamAboveBytes: 0 };
/** Small limits: every file here is past the whole-read limit, so only a streamed reading can import it. */
const SMALL = { ...DEFAULT_LIMITS, maxWholeBytes: 4096, streamAboveBytes: 4096 };
const IMPORTERS: Importer[] = [azureHound, k8sAuditLog, gcpAuditLog, azureActivityLog, entraSignInLog, entraAuditLog];

function* fixtureFiles(dir: string): Iterable<string> {
  for (const name of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, name.name);
    if (name.isDirectory()) {
      if (name.name !== 'fuzz-crashers') yield* fixtureFiles(full);
    } else if (/\.(json|jsonl|log|txt)$/.test(name.name)) yield full;
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
      // A syntax error is worded by the parser that meets it (JSON.parse, or the stream's scanner): its place counts.
      if (err instanceof ImportError) return { error: err.detail.replace(/ \(.*\)$/, '').replace(/^invalid JSON: .*/, 'invalid JSON'), location: err.location?.replace(/, column \d+$/, '') };
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

const TENANT = '6C12B0B0-B2CC-4A73-8252-0B94BFCA2145';
/** An AzureHound service principal record and the app it belongs to: a few hundred bytes each. */
function houndRecords(n: number): { kind: string; data: Record<string, unknown> }[] {
  const out: { kind: string; data: Record<string, unknown> }[] = [{ kind: 'AZTenant', data: { tenantId: TENANT, displayName: 'CONTOSO', id: `/TENANTS/${TENANT}` } }];
  for (let i = 0; i < n; i++) {
    const hex = i.toString(16).padStart(12, '0');
    out.push({ kind: 'AZApp', data: { id: `00000000-0000-4000-8000-${hex}`, appId: `10000000-0000-4000-8000-${hex}`, displayName: `app-${i}`, tenantId: TENANT } });
    out.push({ kind: 'AZServicePrincipal', data: { id: `20000000-0000-4000-8000-${hex}`, appId: `10000000-0000-4000-8000-${hex}`, displayName: `app-${i}`, servicePrincipalType: 'Application', tenantId: TENANT } });
  }
  return out;
}

/** An audit.k8s.io event: a service account reading a secret. */
function auditEvent(i: number): Record<string, unknown> {
  return {
    kind: 'Event',
    apiVersion: 'audit.k8s.io/v1',
    level: 'Metadata',
    auditID: `a-${i}`,
    stage: 'ResponseComplete',
    verb: 'get',
    user: { username: `system:serviceaccount:ci:sa-${i % 7}` },
    sourceIPs: [`10.0.0.${i % 250}`],
    objectRef: { resource: 'secrets', namespace: 'ci', name: `s-${i % 11}`, apiVersion: 'v1' },
    responseStatus: { code: 200 },
    requestReceivedTimestamp: `2026-03-02T09:${String(i % 60).padStart(2, '0')}:00.000000Z`,
  };
}

describe('AzureHound and Kubernetes audit logs: streamed reading gives what whole reading gives', () => {
  it('for every fixture of both formats', async () => {
    const compared = new Map<string, number>();
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
      expect(whole, path).not.toHaveProperty('error');
      expect(streamed, path).toEqual(whole);
      compared.set(format, (compared.get(format) ?? 0) + 1);
    }
    expect(compared.get('azurehound')).toBeGreaterThanOrEqual(2);
    expect(compared.get('k8s-audit-log')).toBeGreaterThanOrEqual(9);
    expect(compared.get('gcp-audit-log')).toBeGreaterThanOrEqual(2);
    expect(compared.get('azure-activity-log')).toBeGreaterThanOrEqual(6);
    expect(compared.get('entra-sign-in-log')).toBeGreaterThanOrEqual(4);
    expect(compared.get('entra-audit-log')).toBeGreaterThanOrEqual(3);
  });

  it('for the shapes AzureHound files take, and the errors of broken ones in the order the whole reading gives them', async () => {
    const r = houndRecords(3);
    const meta = { type: 'azure', version: 5, count: r.length };
    for (const text of [
      JSON.stringify({ data: r, meta }, null, 2),
      JSON.stringify({ meta, data: r }),
      JSON.stringify(r),
      JSON.stringify(r[1]),
      JSON.stringify({ data: [] }),
      JSON.stringify({ data: [...r, { kind: 'AZFooBar', data: { id: 'x' } }], meta }),
      // Broken: a record without kind (its place), the meta of another collector (before the bad record), no list.
      JSON.stringify({ data: [r[0], { data: {} }, r[1]], meta }),
      JSON.stringify({ data: [r[0], { data: {} }], meta: { type: 'ad', version: 5 } }),
      JSON.stringify({ meta: { type: 'ad', version: 5 }, data: [r[0], 'x'] }),
      JSON.stringify({ data: { kind: 'AZApp' }, meta }),
      JSON.stringify({ kind: 'AZApp', data: [r[1]] }),
      JSON.stringify({ kind: 'AZApp', data: r[1]!.data, extra: [1, 2] }),
      JSON.stringify([r[0], 42]),
      JSON.stringify({ data: [r[0], { kind: 'AZTenant', data: { displayName: 'no id' } }], meta }),
      '42',
      '{"data": [',
      '{"data": [{"kind": "AZApp", "data": {"id": "x"}} {"kind": "AZApp"}]}',
    ]) {
      const { whole, streamed } = await both(azureHound, write(text));
      expect(streamed, text.slice(0, 80)).toEqual(whole);
    }
  });

  it('for the shapes audit logs take: EventList (kind before or after the items), CloudWatch, AKS, GKE arrays, single events', async () => {
    const e = [auditEvent(1), auditEvent(2), { ...auditEvent(3), stage: 'RequestReceived' }, 'not an event', { ...auditEvent(4), apiVersion: 'v1' }];
    const messages = e.map((x, i) => ({ id: String(i), timestamp: 1772784000000 + i, message: JSON.stringify(x) }));
    const gke = { protoPayload: { serviceName: 'k8s.io', methodName: 'io.k8s.core.v1.secrets.get', resourceName: 'core/v1/namespaces/ci/secrets/db', authenticationInfo: { principalEmail: 'system:serviceaccount:ci:deployer' }, status: {} }, resource: { labels: { cluster_name: 'gke-1' } }, timestamp: '2026-03-02T09:15:02Z', insertId: 'i1' };
    const aks = (x: unknown) => ({ category: 'kube-audit', resourceId: '/SUBSCRIPTIONS/S/RESOURCEGROUPS/RG/PROVIDERS/MICROSOFT.CONTAINERSERVICE/MANAGEDCLUSTERS/AKS-1', properties: { log: JSON.stringify(x) } });
    for (const text of [
      JSON.stringify({ kind: 'EventList', apiVersion: 'audit.k8s.io/v1', metadata: {}, items: e }, null, 2),
      JSON.stringify({ items: e, apiVersion: 'audit.k8s.io/v1', kind: 'EventList' }),
      JSON.stringify({ items: e, kind: 'ConfigMapList' }),
      JSON.stringify({ kind: 'EventList', items: [] }),
      JSON.stringify({ messageType: 'DATA_MESSAGE', logGroup: '/aws/eks/payments/cluster', logEvents: messages }),
      JSON.stringify({ logEvents: messages, logGroup: '/aws/eks/late-group/cluster' }),
      JSON.stringify({ events: messages, searchedLogStreams: [{ logStreamName: 'kube-apiserver-audit-1' }] }),
      JSON.stringify({ events: [{ message: '{broken' }, { nomessage: 1 }], logEvents: messages }),
      JSON.stringify({ records: [aks(e[0]), aks(e[1]), { category: 'kube-apiserver', properties: { log: 'x' } }] }),
      JSON.stringify([gke, { ...gke, protoPayload: { ...gke.protoPayload, serviceName: 'iam.googleapis.com' } }, auditEvent(5)]),
      JSON.stringify([{ kind: 'EventList', items: e }, { records: [aks(e[1])] }]),
      JSON.stringify(auditEvent(6)),
      JSON.stringify(aks(e[0])),
      '42',
      '{"kind": "EventList", "items": [',
    ]) {
      const { whole, streamed } = await both(k8sAuditLog, write(text), { cluster: text.includes('late-group') ? '' : 'c' });
      expect(streamed, text.slice(0, 80)).toEqual(whole);
    }
    // An EventList read in one pass (its kind first) that names another kind after its items is refused, not misread.
    const twice = `{"kind": "EventList", "items": [${JSON.stringify(auditEvent(1))}], "kind": "PodList"}`;
    expect((await both(k8sAuditLog, write(twice))).streamed).toEqual({ error: 'the EventList names its kind twice', location: '$.kind' });
  });
});

/** An import into a fresh case under the given input limits: the formats it read and the case's counts. */
async function importOk(files: string[], limits: typeof DEFAULT_LIMITS) {
  const engine = openEngine(tempCase(), { create: true });
  try {
    const result = await engine.importWithHooks({ files: files.map((path) => ({ path })), options: { cluster: 'c' } }, { limits, now: new Date('2026-03-10T00:00:00Z') });
    return { formats: result.sources.map((s) => s.format), counts: (await engine.caseInfo({})).counts };
  } finally {
    engine.close();
  }
}

describe('AzureHound and audit logs past the whole-read limit', () => {
  it('import through the stream, and give the facts the whole reading gives', async () => {
    const dir = tempDir();
    const records = houndRecords(3000);
    const files = {
      hound: join(dir, 'hound.json'),
      houndLines: join(dir, 'hound-console.jsonl'),
      list: join(dir, 'webhook-batch.json'),
      lines: join(dir, 'audit.log'),
      s3: join(dir, 's3-export.txt'),
      cw: join(dir, 'filter-log-events.json'),
      // Past one read chunk (1 MiB), its kind last: read in two passes.
      kindLast: join(dir, 'webhook-kind-last.json'),
    };
    writeFileSync(files.hound, JSON.stringify({ data: records, meta: { type: 'azure', version: 5, count: records.length } }));
    writeFileSync(files.houndLines, records.map((x) => JSON.stringify(x)).join('\n') + '\n');
    const events = Array.from({ length: 200 }, (_, i) => auditEvent(i));
    // Past one read chunk (1 MiB), its kind first: read in one pass.
    writeFileSync(files.list, JSON.stringify({ kind: 'EventList', apiVersion: 'audit.k8s.io/v1', items: Array.from({ length: 4000 }, (_, i) => auditEvent(i)) }));
    writeFileSync(files.lines, events.map((x) => JSON.stringify(x)).join('\n'));
    writeFileSync(files.s3, events.map((x, i) => `2026-03-02T09:15:${String(i % 60).padStart(2, '0')}.000Z ${JSON.stringify(x)}`).join('\n'));
    writeFileSync(files.kindLast, JSON.stringify({ items: Array.from({ length: 4000 }, (_, i) => auditEvent(i)), apiVersion: 'audit.k8s.io/v1', kind: 'EventList' }));
    writeFileSync(files.cw, JSON.stringify({ events: events.map((x, i) => ({ logStreamName: 'kube-apiserver-audit-1', timestamp: i, message: JSON.stringify(x) })), searchedLogStreams: [] }));
    for (const path of Object.values(files)) {
      const name = path.split('/').pop()!;
      expect(readFileSync(path).length, name).toBeGreaterThan(SMALL.maxWholeBytes * 4);
      const small = await importOk([path], SMALL);
      const whole = await importOk([path], DEFAULT_LIMITS);
      expect(small.formats, name).toEqual([name.startsWith('hound') ? 'azurehound' : 'k8s-audit-log']);
      expect(small.counts.nodes, name).toBeGreaterThan(10);
      expect(small.counts, name).toEqual(whole.counts);
    }
  });

  it('refuse a broken record deep in a streamed file with its place, and import nothing of it', async () => {
    const dir = tempDir();
    const records: unknown[] = houndRecords(100);
    records[150] = { kind: 'AZApp', data: 'not an object' };
    const cases: [string, string, RegExp][] = [
      ['hound.json', JSON.stringify({ data: records, meta: { type: 'azure', version: 5 } }), /^\$\.data\[150\]\.data$/],
      ['hound-console.jsonl', houndRecords(100).map((x, i) => (i === 170 ? '{"kind": "AZApp", "data": {' : JSON.stringify(x))).join('\n'), /^line 171$/],
      ['hound-records.jsonl', records.map((x) => JSON.stringify(x)).join('\n'), /^line 151\.data$/],
      ['trail-of-events.json', JSON.stringify({ kind: 'EventList', items: Array.from({ length: 200 }, (_, i) => auditEvent(i)) }).replace('"a-180"', '"a-180" "x"'), /^line 1, column \d+$/],
    ];
    for (const [name, text, where] of cases) {
      const path = join(dir, name);
      writeFileSync(path, text);
      const engine = openEngine(tempCase(), { create: true });
      try {
        const err = await engine.importWithHooks({ files: [{ path }], options: { cluster: 'c' } }, { limits: SMALL }).then(() => undefined, (e: unknown) => e);
        expect(err, name).toMatchObject({ code: 'bad-input', file: name });
        expect((err as { location?: string }).location, name).toMatch(where);
        expect((await engine.caseInfo({})).counts.nodes, name).toBe(0);
        expect((await engine.caseInfo({})).sources, name).toEqual([]);
      } finally {
        engine.close();
      }
    }
  });

  it('skip a malformed audit event deep in a streamed log with its line, as the whole reading does', async () => {
    const lines = Array.from({ length: 200 }, (_, i) => JSON.stringify(auditEvent(i)));
    lines[150] = '{"kind": "Event", ';
    const path = write(lines.join('\n'), 'audit.log');
    const input = await openInput('audit.log', path, SMALL);
    expect(() => input.text()).toThrow(/read whole, up to 4 KiB/);
    const fragment = await parseAll(k8sAuditLog, await openInput('audit.log', path, SMALL), { cluster: 'c' });
    expect(fragment.warnings).toContainEqual(expect.objectContaining({ message: expect.stringMatching(/not valid JSON/), location: expect.stringMatching(/\bline 151\b/) }));
    expect(fragment.edges.length).toBeGreaterThan(10);
    // The same in an S3 export of CloudWatch Logs ("<time> <event>" lines); a line with no event is passed over.
    const s3 = lines.map((l, i) => (i === 20 ? '2026-03-02T09:15:00.000Z (no event)' : `2026-03-02T09:15:00.000Z ${l}`));
    const s3Path = write(s3.join('\n'), 's3-export.txt');
    const s3Fragment = await parseAll(k8sAuditLog, await openInput('s3-export.txt', s3Path, SMALL), { cluster: 'c' });
    expect(s3Fragment.warnings).toEqual(fragment.warnings);
    const counted = (f: typeof fragment) => f.edges.reduce((n, e) => n + Number(e.props?.['count'] ?? 0), 0);
    expect(counted(fragment)).toBe(199);
    expect(counted(s3Fragment)).toBe(198);
  });
});

/** A Cloud Audit Log entry: a service account creating a key of another (the shape `gcloud logging read` prints). */
function gcpEntry(i: number): Record<string, unknown> {
  return {
    insertId: `g-${i}`,
    logName: 'projects/acme-prod/logs/cloudaudit.googleapis.com%2Factivity',
    protoPayload: {
      '@type': 'type.googleapis.com/google.cloud.audit.AuditLog',
      authenticationInfo: { principalEmail: `deployer-${i % 5}@acme-prod.iam.gserviceaccount.com`, principalSubject: `serviceAccount:deployer-${i % 5}@acme-prod.iam.gserviceaccount.com` },
      methodName: 'google.iam.admin.v1.CreateServiceAccountKey',
      serviceName: 'iam.googleapis.com',
      resourceName: `projects/-/serviceAccounts/target-${i % 9}@acme-prod.iam.gserviceaccount.com`,
      requestMetadata: { callerIp: `10.1.0.${i % 250}`, callerSuppliedUserAgent: 'google-cloud-sdk' },
      status: {},
    },
    resource: { type: 'service_account', labels: { project_id: 'acme-prod' } },
    timestamp: `2026-03-02T10:${String(i % 60).padStart(2, '0')}:00Z`,
  };
}

describe('GCP audit logs: streamed as CloudTrail is', () => {
  it('every shape (array, {"entries": […]}, one entry, broken) reads the same streamed as whole', async () => {
    const e = [gcpEntry(1), gcpEntry(2), 'not an entry', { ...gcpEntry(3), protoPayload: {} }];
    for (const text of [
      JSON.stringify(e, null, 2),
      JSON.stringify({ entries: e, nextPageToken: 'x' }),
      JSON.stringify({ nextPageToken: 'x', entries: e }),
      JSON.stringify(gcpEntry(4)),
      JSON.stringify({ entries: 'none' }),
      '42',
      '[{"insertId": "a"} {"insertId": "b"}]',
      '{"entries": [',
    ]) {
      const { whole, streamed } = await both(gcpAuditLog, write(text));
      expect(streamed, text.slice(0, 80)).toEqual(whole);
    }
  });

  it('a file past the whole-read limit imports (JSON-lines and a document), with the counts of a whole reading', async () => {
    const dir = tempDir();
    const entries = Array.from({ length: 300 }, (_, i) => gcpEntry(i));
    const files = { lines: join(dir, 'sink.jsonl'), doc: join(dir, 'gcloud-read.json'), wrapped: join(dir, 'entries.json') };
    writeFileSync(files.lines, entries.map((x) => JSON.stringify(x)).join('\n'));
    writeFileSync(files.doc, JSON.stringify(entries, null, 2));
    writeFileSync(files.wrapped, JSON.stringify({ entries }));
    for (const path of Object.values(files)) {
      const name = path.split('/').pop()!;
      expect(readFileSync(path).length, name).toBeGreaterThan(SMALL.maxWholeBytes * 4);
      const small = await importOk([path], SMALL);
      const whole = await importOk([path], DEFAULT_LIMITS);
      expect(small.formats, name).toEqual(['gcp-audit-log']);
      expect(small.counts.nodes, name).toBeGreaterThan(10);
      expect(small.counts, name).toEqual(whole.counts);
    }
  });
});
