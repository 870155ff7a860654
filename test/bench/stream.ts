// Streaming benchmark: one CloudTrail JSON-lines file of 2 GB (`--quick`: 200 MB), far past what can be read whole,
// imported by the built CLI in a process of its own: its wall and CPU time and its peak RSS (target ≤ 1 GB: memory
// bounded by the output, the folded edges, not by the input). Baseline in the same run: reading the same file and
// JSON.parse of every line, nothing else.
import { spawnSync } from 'node:child_process';
import { createReadStream, createWriteStream, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { record } from './cloudtrail.js';
import type { BenchOptions } from './run.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Writes records as JSON-lines until the file reaches `bytes`, without ever holding more than a batch. */
async function writeTrail(path: string, bytes: number): Promise<number> {
  const out = createWriteStream(path);
  let written = 0;
  let n = 0;
  while (written < bytes) {
    let batch = '';
    for (let k = 0; k < 2000; k++) batch += `${JSON.stringify(record(n++))}\n`;
    written += Buffer.byteLength(batch);
    if (!out.write(batch)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
  }
  await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
  return n;
}

export async function bench(opts: BenchOptions): Promise<Record<string, number>> {
  const target = (opts.quick ? 0.2 : 2) * 1024 ** 3;
  const file = join(opts.dir, 'CloudTrail-2GB.jsonl');
  const records = await writeTrail(file, target);
  const size = statSync(file).size;

  // Raw baseline: read the file line by line and JSON.parse each, the least a streamed import must do.
  const cpu0 = process.cpuUsage();
  let start = performance.now();
  let parsed = 0;
  for await (const line of createInterface({ input: createReadStream(file, { highWaterMark: 1024 * 1024 }), crlfDelay: Infinity })) {
    if (line) {
      JSON.parse(line);
      parsed++;
    }
  }
  const rawMs = performance.now() - start;
  const rawCpu = process.cpuUsage(cpu0);

  start = performance.now();
  const run = spawnSync(process.execPath, ['--import', join(ROOT, 'test', 'server', 'peak-rss.mjs'), join(ROOT, 'dist', 'blastmap.js'), 'import', file, '--case', join(opts.dir, 'stream.blastmap'), '--json'], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  const importMs = performance.now() - start;
  if (run.status !== 0) throw new Error(`the import failed: ${run.stderr.slice(-2000)}`);
  const result = JSON.parse(run.stdout) as { counts: { edges: number; nodes: number } };
  const peakMb = Number(/PEAK_RSS_KB (\d+)/.exec(run.stderr)?.[1]) / 1024;
  const importCpu = Number(/CPU_MS (\d+)/.exec(run.stderr)?.[1]);

  return {
    stream_cloudtrail_jsonl_mb: Math.round(size / 1024 / 1024),
    stream_cloudtrail_records: records,
    stream_raw_parse_ms: Math.round(rawMs),
    stream_raw_parse_cpu_ms: Math.round((rawCpu.user + rawCpu.system) / 1000),
    stream_import_ms: Math.round(importMs),
    stream_import_cpu_ms: importCpu,
    /** Raw read + JSON.parse time as a share of the whole import in its own process (1 = as fast as parsing alone). */
    stream_import_vs_raw_ratio: Number((rawMs / importMs).toFixed(3)),
    stream_import_peak_rss_mb: Math.round(peakMb),
    stream_observed_edges: result.counts.edges,
    stream_parsed_lines: parsed,
  };
}
