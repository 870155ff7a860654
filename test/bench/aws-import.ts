// AWS credential import benchmark: a credential report of N users and their list-access-keys outputs imported
// together through the engine (every key slot merging with its AKIA id through the alias chain), next to a raw
// better-sqlite3 write of the resulting rows into the case schema, measured in the same run.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openEngine } from '../../src/api/engine.js';
import { MIGRATIONS } from '../../src/store/migrations/index.js';
import { CASE_PAGE_SIZE } from '../../src/store/open.js';
import { measure, type Run } from './measure.js';
import { rawWrite, readOutput } from './raw-output.js';
import type { BenchOptions } from './run.js';

const ACCOUNT = '123456789012';
const HEADER = 'user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated';

interface User { name: string; keys: { id: string; created: string }[]; password: boolean }

export function users(n: number): User[] {
  return Array.from({ length: n }, (_, i) => ({
    name: `svc-${i}`,
    password: i % 5 === 0,
    keys: Array.from({ length: 1 + (i % 3 === 0 ? 1 : 0) }, (_, k) => ({
      id: `AKIA${String(i * 2 + k).padStart(16, '0')}`,
      created: new Date(Date.UTC(2024, 0, 1) + i * 60_000 + k * 1000).toISOString().replace('.000Z', '+00:00'),
    })),
  }));
}

/** The credential report (CSV) and the list-access-keys outputs (appended) of these users, as the CLI writes them. */
export function credentialFiles(list: User[]): { report: string; keys: string } {
  const report = [HEADER, ...list.map((u) => {
    const k = (i: number) => (u.keys[i] ? ['true', u.keys[i]!.created, i === 0 ? 'N/A' : '2026-01-01T00:00:00+00:00', i === 0 ? 'N/A' : 'us-east-1', i === 0 ? 'N/A' : 's3'] : ['false', 'N/A', 'N/A', 'N/A', 'N/A']);
    return [u.name, `arn:aws:iam::${ACCOUNT}:user/${u.name}`, '2023-01-01T00:00:00+00:00', String(u.password), u.password ? 'no_information' : 'N/A', 'N/A', 'N/A', 'false', ...k(0), ...k(1), 'false', 'N/A', 'false', 'N/A'].join(',');
  })].join('\n');
  const keys = list.map((u) => JSON.stringify({ AccessKeyMetadata: u.keys.map((k) => ({ UserName: u.name, AccessKeyId: k.id, Status: 'Active', CreateDate: k.created })) }, null, 4)).join('\n');
  return { report, keys };
}

export async function bench(opts: BenchOptions): Promise<Record<string, number>> {
  const n = opts.nodes ?? (opts.quick ? 2_000 : 20_000);
  const list = users(n);
  const { report, keys } = credentialFiles(list);
  const reportFile = join(opts.dir, 'credential-report.csv');
  const keysFile = join(opts.dir, 'access-keys.json');
  writeFileSync(reportFile, report);
  writeFileSync(keysFile, keys);

  // Three rounds (one in --quick), each raw write next to an import, so a busy spell of the machine weighs on both;
  // medians, in wall and in CPU time (the figure to read on a shared machine).
  const runs = opts.quick ? 1 : 3;
  const raws: Run[] = [];
  const imports: Run[] = [];
  const outputWrites: Run[] = [];
  let nodes = 0;
  let outputRows = 0;
  for (let run = 0; run < runs; run++) {
    raws.push(rawInsert(list, join(opts.dir, `raw-${run}.sqlite`)));
    const engine = openEngine(join(opts.dir, `bench-${run}.blastmap`), { create: true });
    imports.push(await measure(() => engine.importFiles({ files: [{ path: reportFile }, { path: keysFile }], options: { account: ACCOUNT } })));
    nodes = (await engine.caseInfo({})).counts.nodes;
    engine.close();
    // For context, not the target: everything the import stored in the graph (findings and their evidence too)
    // written raw, as the GCP bench does.
    const output = readOutput(join(opts.dir, `bench-${run}.blastmap`));
    outputRows = output.rows;
    outputWrites.push(rawWrite(output, join(opts.dir, `output-raw-${run}.sqlite`)));
  }
  const mid = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const rawMs = mid(raws.map((r) => r.wallMs));
  const importMs = mid(imports.map((r) => r.wallMs));
  const keyCount = list.reduce((s, u) => s + u.keys.length, 0);
  const passwords = list.filter((u) => u.password).length;
  // Every slot merged: users + keys + passwords + account + admin, nothing else.
  if (nodes !== n + keyCount + passwords + 2) throw new Error(`aws bench: expected ${n + keyCount + passwords + 2} nodes, got ${nodes}`);
  return {
    aws_users: n,
    aws_keys_merged: keyCount,
    aws_runs: runs,
    aws_raw_insert_ms: Math.round(rawMs),
    aws_raw_insert_cpu_ms: Math.round(mid(raws.map((r) => r.cpuMs))),
    aws_import_ms: Math.round(importMs),
    aws_import_cpu_ms: Math.round(mid(imports.map((r) => r.cpuMs))),
    /** Report + keys import with slot↔AKIA merging, as a share of a raw write of the merged rows (target ≥ 0.25: ≤ 4×). */
    aws_import_vs_raw_ratio: Number(mid(raws.map((r, i) => r.wallMs / imports[i]!.wallMs)).toFixed(3)),
    /** The same in CPU time. */
    aws_import_vs_raw_cpu_ratio: Number(mid(raws.map((r, i) => r.cpuMs / imports[i]!.cpuMs)).toFixed(3)),
    /** Rows of the finished case's graph (nodes, node numbers, edges, evidence, findings): more than the merged rows above. */
    aws_output_rows: outputRows,
    /** Those rows written raw (raw-output.ts), and the import's CPU as a multiple of it: what is left once findings are counted as output. */
    aws_raw_output_write_cpu_ms: Math.round(mid(outputWrites.map((r) => r.cpuMs))),
    aws_import_vs_raw_output_cpu_ratio: Number(mid(outputWrites.map((w, i) => w.cpuMs / imports[i]!.cpuMs)).toFixed(3)),
  };
}

/** The merged result written directly: users, keys, passwords and their AUTHENTICATES_AS edges. */
function rawInsert(list: User[], path: string): Run {
  const db = new Database(path);
  db.pragma(`page_size = ${CASE_PAGE_SIZE}`); // as a new case has it
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('cache_size = -65536');
  for (const m of MIGRATIONS) m.up(db);
  // Timed from here, as the import is timed from its call (its case is opened, and migrated, before).
  const cpu = process.cpuUsage();
  const start = performance.now();
  // Rows as the case schema holds them: each id numbered once (a node's number is its rowid), edges by number.
  const insId = db.prepare('INSERT INTO node_ids (id) VALUES (?)');
  const insRow = db.prepare('INSERT INTO nodes (rowid, id, kind, name, stub, boundary, handles, props, sources, solo_source) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 1)');
  const insNode = (id: string, ...rest: (string | number)[]) => {
    const nid = Number(insId.run(id).lastInsertRowid);
    insRow.run(nid, id, ...rest);
    return nid;
  };
  const insEdgeRow = db.prepare('INSERT INTO edge_rows (src, dst, kind, source_id, derived, conditional, first_seen, last_seen, props) VALUES (?, ?, 1, 1, 0, 0, NULL, NULL, ?)');
  const insEdge = (src: number, dst: number, props: string) => insEdgeRow.run(src, dst, props);
  const boundary = `aws:account:${ACCOUNT}`;
  db.transaction(() => {
    db.exec("INSERT INTO edge_kinds (code, kind) VALUES (1, 'AUTHENTICATES_AS')");
    for (const [i, u] of list.entries()) {
      const arn = `arn:aws:iam::${ACCOUNT}:user/${u.name}`;
      const user = insNode(arn, 'aws_user', u.name, 1, boundary, `${arn}\n${u.name}`, JSON.stringify({ userName: u.name, mfa_active: false, password_enabled: u.password }), '[1]');
      for (const [k, key] of u.keys.entries()) {
        const id = `aws:key:${key.id}`;
        const nid = insNode(id, 'aws_access_key', key.id, 0, boundary, `${id}\n${key.id}\naws:keyslot:${arn}:${k + 1}`, JSON.stringify({ userName: u.name, status: 'Active', active: true, createdAt: key.created, lastUsedAt: null, slot: k + 1 }), '[1,2]');
        insEdge(nid, user, JSON.stringify({ at: `line ${i + 2}` }));
      }
      if (u.password) {
        const nid = insNode(`aws:password:${arn}`, 'aws_password', `${u.name} console password`, 0, boundary, `aws:password:${arn}`, JSON.stringify({ active: true, lastUsedAt: null }), '[1]');
        insEdge(nid, user, JSON.stringify({ at: `line ${i + 2}` }));
      }
    }
    db.exec('INSERT INTO node_name_fts (rowid, name) SELECT rowid, name FROM nodes; INSERT INTO node_handle_fts (rowid, handles) SELECT rowid, handles FROM nodes');
  })();
  const used = process.cpuUsage(cpu);
  const timed = { wallMs: performance.now() - start, cpuMs: (used.user + used.system) / 1000 };
  db.close();
  return timed;
}
