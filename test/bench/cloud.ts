// Cloud IAM benchmark: a synthetic GCP organization as Cloud Asset Inventory exports it (resource and iam-policy
// JSON-lines) imported end to end, bindings expanded by the gcp-iam-bindings rule. The raw baseline is the least
// any importer must do with the same files: read them and JSON.parse every line, measured in the same run.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openEngine } from '../../src/api/engine.js';
import { measure, type Run } from './measure.js';
import { rawWrite, readOutput } from './raw-output.js';
import type { BenchOptions } from './run.js';

export async function bench(opts: BenchOptions): Promise<Record<string, number>> {
  const projects = opts.quick ? 200 : 2000;
  const { resources, policies, assets } = syntheticOrganization(projects);
  const resourceFile = join(opts.dir, 'resources.jsonl');
  const policyFile = join(opts.dir, 'iam-policies.jsonl');
  writeFileSync(resourceFile, resources);
  writeFileSync(policyFile, policies);

  // Three rounds (one in --quick), each raw parse next to an import; medians, in wall and in CPU time.
  const runs = opts.quick ? 1 : 3;
  const raws: Run[] = [];
  const imports: Run[] = [];
  const writes: Run[] = [];
  const nodeWrites: Run[] = [];
  let outputRows = 0;
  let parsed = 0;
  let derivedEdges = 0;
  for (let run = 0; run < runs; run++) {
    raws.push(await measure(() => {
      parsed = 0;
      for (const file of [resourceFile, policyFile]) for (const line of readFileSync(file, 'utf8').split('\n')) if (line) parsed += JSON.parse(line) ? 1 : 0;
    }));
    const engine = openEngine(join(opts.dir, `cloud-${run}.blastmap`), { create: true });
    imports.push(await measure(async () => {
      derivedEdges = (await engine.importFiles({ files: [{ path: resourceFile }, { path: policyFile }] })).counts.derivedEdges;
    }));
    engine.close();
    // The import's output written raw, next to it: what storing it costs any design.
    const output = readOutput(join(opts.dir, `cloud-${run}.blastmap`));
    outputRows = output.rows;
    writes.push(rawWrite(output, join(opts.dir, `cloud-raw-${run}.sqlite`)));
    // The nodes alone (with their numbers and search index): what storing the assets costs before any edge, finding
    // or fact is written.
    nodeWrites.push(rawWrite({ ...output, edges: [], evidence: [], findings: [], remediations: [] }, join(opts.dir, `cloud-raw-nodes-${run}.sqlite`)));
  }
  const mid = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const rawMs = mid(raws.map((r) => r.wallMs));
  const importMs = mid(imports.map((r) => r.wallMs));
  return {
    cloud_gcp_projects: projects,
    cloud_gcp_asset_lines: parsed,
    cloud_gcp_assets: assets,
    cloud_gcp_runs: runs,
    cloud_gcp_raw_parse_ms: Math.round(rawMs),
    cloud_gcp_raw_parse_cpu_ms: Math.round(mid(raws.map((r) => r.cpuMs))),
    cloud_gcp_import_ms: Math.round(importMs),
    cloud_gcp_import_cpu_ms: Math.round(mid(imports.map((r) => r.cpuMs))),
    cloud_gcp_derived_edges: derivedEdges,
    cloud_gcp_derived_edges_per_s: Math.round(derivedEdges / (importMs / 1000)),
    /** Raw read-and-parse time as a share of the full import (parse, merge, store, derive, index, commit); target ≥ 0.1 (≤ 10×). */
    cloud_gcp_import_vs_raw_parse_ratio: Number(mid(raws.map((r, i) => r.wallMs / imports[i]!.wallMs)).toFixed(3)),
    /** The same in CPU time. */
    cloud_gcp_import_vs_raw_parse_cpu_ratio: Number(mid(raws.map((r, i) => r.cpuMs / imports[i]!.cpuMs)).toFixed(3)),
    /** Rows of the finished case's graph (nodes, node numbers, edges, evidence, findings). */
    cloud_gcp_output_rows: outputRows,
    /** Those rows written raw into a fresh case (raw-output.ts): the floor of any import that stores them. */
    cloud_gcp_raw_output_write_ms: Math.round(mid(writes.map((r) => r.wallMs))),
    cloud_gcp_raw_output_write_cpu_ms: Math.round(mid(writes.map((r) => r.cpuMs))),
    /** That raw write as a multiple of the raw parse: above 10, the ≤ 10× target is below what storing the output costs. */
    cloud_gcp_raw_output_write_vs_parse: Number(mid(raws.map((r, i) => writes[i]!.wallMs / r.wallMs)).toFixed(1)),
    cloud_gcp_raw_output_write_vs_parse_cpu: Number(mid(raws.map((r, i) => writes[i]!.cpuMs / r.cpuMs)).toFixed(1)),
    /** The nodes alone written raw, as a multiple of the raw parse: the import's floor before one edge is stored. */
    cloud_gcp_raw_nodes_write_vs_parse_cpu: Number(mid(raws.map((r, i) => nodeWrites[i]!.cpuMs / r.cpuMs)).toFixed(1)),
    /** The raw write of the output as a share of the import (1 would be an import that costs only its writes). */
    cloud_gcp_import_vs_raw_output_write_ratio: Number(mid(writes.map((w, i) => w.wallMs / imports[i]!.wallMs)).toFixed(3)),
  };
}

/** One organization, 20 folders, `n` projects, each with 10 service accounts, 20 buckets and a typical policy. */
export function syntheticOrganization(n: number): { resources: string; policies: string; assets: number } {
  const crm = '//cloudresourcemanager.googleapis.com';
  const res: string[] = [];
  const pol: string[] = [];
  res.push(JSON.stringify({ name: `${crm}/organizations/1`, asset_type: 'cloudresourcemanager.googleapis.com/Organization', resource: { data: { displayName: 'bench.test', name: 'organizations/1' } } }));
  pol.push(JSON.stringify({ name: `${crm}/organizations/1`, asset_type: 'cloudresourcemanager.googleapis.com/Organization', iam_policy: { bindings: [{ role: 'roles/resourcemanager.organizationAdmin', members: ['group:org-admins@bench.test'] }, { role: 'roles/storage.objectViewer', members: ['group:auditors@bench.test'] }] } }));
  for (let f = 0; f < 20; f++) {
    res.push(JSON.stringify({ name: `${crm}/folders/${100 + f}`, asset_type: 'cloudresourcemanager.googleapis.com/Folder', resource: { parent: `${crm}/organizations/1`, data: { displayName: `team-${f}` } } }));
    pol.push(JSON.stringify({ name: `${crm}/folders/${100 + f}`, asset_type: 'cloudresourcemanager.googleapis.com/Folder', iam_policy: { bindings: [{ role: 'roles/resourcemanager.folderAdmin', members: [`group:team-${f}-leads@bench.test`] }] } }));
  }
  for (let p = 0; p < n; p++) {
    const number = 10_000 + p;
    const id = `proj-${p}`;
    res.push(JSON.stringify({ name: `${crm}/projects/${number}`, asset_type: 'cloudresourcemanager.googleapis.com/Project', resource: { parent: `${crm}/folders/${100 + (p % 20)}`, data: { projectId: id, projectNumber: String(number), name: id } } }));
    const sas: string[] = [];
    for (let s = 0; s < 10; s++) {
      const email = `sa-${s}@${id}.iam.gserviceaccount.com`;
      sas.push(email);
      res.push(JSON.stringify({ name: `//iam.googleapis.com/projects/${id}/serviceAccounts/${number}${s}`, asset_type: 'iam.googleapis.com/ServiceAccount', resource: { parent: `${crm}/projects/${number}`, data: { email, uniqueId: `${number}${s}`, projectId: id } } }));
    }
    for (let b = 0; b < 20; b++) {
      res.push(JSON.stringify({ name: `//storage.googleapis.com/${id}-bucket-${b}`, asset_type: 'storage.googleapis.com/Bucket', resource: { parent: `${crm}/projects/${number}`, data: { name: `${id}-bucket-${b}` } } }));
      if (b % 5 === 0) pol.push(JSON.stringify({ name: `//storage.googleapis.com/${id}-bucket-${b}`, asset_type: 'storage.googleapis.com/Bucket', iam_policy: { bindings: [{ role: 'roles/storage.objectAdmin', members: [`serviceAccount:${sas[b % 10]}`] }] } }));
    }
    pol.push(JSON.stringify({
      name: `${crm}/projects/${number}`,
      asset_type: 'cloudresourcemanager.googleapis.com/Project',
      iam_policy: {
        bindings: [
          { role: 'roles/owner', members: [`user:owner-${p}@bench.test`] },
          { role: 'roles/editor', members: [`serviceAccount:${number}-compute@developer.gserviceaccount.com`, `serviceAccount:${sas[0]}`] },
          { role: 'roles/iam.serviceAccountTokenCreator', members: [`serviceAccount:${sas[1]}`] },
          { role: 'roles/viewer', members: ['group:everyone@bench.test'] },
        ],
      },
    }));
  }
  return { resources: `${res.join('\n')}\n`, policies: `${pol.join('\n')}\n`, assets: res.length };
}
