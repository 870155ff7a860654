// Kubernetes audit-log benchmark: 1,000 API server log files of 1,000 events each (JSON-lines, as kube-apiserver
// writes them; 40 service accounts and 10 users over 200 namespaces, reads of secrets, token requests, exec, lists,
// one request in seven logged at RequestReceived too) imported in one import through the engine, next to reading and
// JSON.parse of every line of the same files. Callers act mostly in their own few namespaces, as controllers and
// CI accounts do.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openEngine } from '../../src/api/engine.js';
import { measure } from './measure.js';
import type { BenchOptions } from './run.js';

const VERBS: [string, string, string?][] = [
  ['list', 'pods'],
  ['get', 'configmaps'],
  ['watch', 'endpoints'],
  ['get', 'secrets'],
  ['create', 'serviceaccounts', 'token'],
  ['create', 'pods', 'exec'],
  ['patch', 'deployments'],
  ['list', 'nodes'],
];

export function auditEvent(i: number): object {
  const [verb, resource, sub] = VERBS[i % VERBS.length]!;
  const who = i % 50;
  const ns = `ns-${(who * 4 + (i % 3)) % 200}`;
  const user = who < 40 ? { username: `system:serviceaccount:ns-${who * 5}:sa-${who}`, groups: ['system:serviceaccounts', 'system:authenticated'] } : { username: `user-${who}@bench.example`, groups: ['system:authenticated'] };
  const name = resource === 'secrets' ? `secret-${i % 5}` : resource === 'serviceaccounts' ? `sa-${(who + 1) % 40}` : resource === 'pods' && sub ? `pod-${who}-${i % 4}` : resource === 'deployments' ? `app-${who}` : undefined;
  const time = new Date(Date.UTC(2026, 2, 1) + i * 600).toISOString().replace('Z', '123Z');
  return {
    kind: 'Event',
    apiVersion: 'audit.k8s.io/v1',
    level: 'Metadata',
    auditID: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    stage: 'ResponseComplete',
    requestURI: `/api/v1/${resource === 'nodes' ? '' : `namespaces/${ns}/`}${resource}${name ? `/${name}` : ''}${sub ? `/${sub}` : ''}`,
    verb,
    user,
    sourceIPs: [`10.0.${who}.${i % 250}`],
    userAgent: who < 40 ? 'controller/v1.2.3' : 'kubectl/v1.29.3 (linux/amd64) kubernetes/6813625',
    objectRef: { resource, ...(resource === 'nodes' ? {} : { namespace: ns }), ...(name ? { name } : {}), apiVersion: 'v1', ...(sub ? { subresource: sub } : {}) },
    responseStatus: { metadata: {}, code: i % 97 === 0 ? 403 : sub === 'exec' ? 101 : 200 },
    requestReceivedTimestamp: time,
    stageTimestamp: time,
    annotations: { 'authorization.k8s.io/decision': i % 97 === 0 ? 'forbid' : 'allow', 'authorization.k8s.io/reason': '' },
  };
}

export async function bench(opts: BenchOptions): Promise<Record<string, number>> {
  const fileCount = opts.quick ? 100 : 1000;
  const perFile = 1000;
  const files: string[] = [];
  let bytes = 0;
  let lines = 0;
  for (let f = 0; f < fileCount; f++) {
    const out: string[] = [];
    for (let r = 0; r < perFile; r++) {
      const e = auditEvent(f * perFile + r);
      if (r % 7 === 0) out.push(JSON.stringify({ ...e, stage: 'RequestReceived', responseStatus: undefined }));
      out.push(JSON.stringify(e));
    }
    const text = `${out.join('\n')}\n`;
    lines += out.length;
    bytes += text.length;
    const path = join(opts.dir, `audit-${String(f).padStart(4, '0')}.log`);
    writeFileSync(path, text);
    files.push(path);
  }
  // Raw baseline: read every file and JSON.parse every line.
  const raw = await measure(() => {
    for (const path of files) for (const line of readFileSync(path, 'utf8').split('\n')) if (line) JSON.parse(line);
  });
  const engine = openEngine(join(opts.dir, 'k8s-audit-bench.blastmap'), { create: true });
  let peakRss = process.memoryUsage().rss;
  let edges = 0;
  const imp = await measure(async () => {
    const result = await engine.importWithHooks({ files: files.map((path) => ({ path })), options: { cluster: 'bench' } }, { onProgress: () => (peakRss = Math.max(peakRss, process.memoryUsage().rss)) });
    edges = result.counts.edges;
  });
  engine.close();
  return {
    k8s_audit_files: fileCount,
    k8s_audit_events: fileCount * perFile,
    k8s_audit_lines: lines,
    k8s_audit_mb: Math.round(bytes / 1e6),
    k8s_audit_raw_parse_ms: Math.round(raw.wallMs),
    k8s_audit_raw_parse_cpu_ms: Math.round(raw.cpuMs),
    k8s_audit_import_ms: Math.round(imp.wallMs),
    k8s_audit_import_cpu_ms: Math.round(imp.cpuMs),
    k8s_audit_events_per_s: Math.round((fileCount * perFile) / (imp.wallMs / 1000)),
    k8s_audit_import_vs_raw_ratio: Number((imp.wallMs / raw.wallMs).toFixed(2)),
    k8s_audit_observed_edges: edges,
    k8s_audit_peak_rss_mb: Math.round(peakRss / 1e6),
  };
}
