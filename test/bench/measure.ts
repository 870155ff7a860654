// Shared by the source benchmarks: wall and CPU time of a run, and the median of several.

export interface Run {
  wallMs: number;
  cpuMs: number;
}

export async function measure(fn: () => Promise<unknown> | unknown): Promise<Run> {
  const cpu = process.cpuUsage();
  const start = performance.now();
  await fn();
  const wallMs = performance.now() - start;
  const used = process.cpuUsage(cpu);
  return { wallMs, cpuMs: (used.user + used.system) / 1000 };
}

/** The run with the median wall time (its CPU time with it), of `n` runs. */
export async function median(n: number, fn: (i: number) => Promise<unknown> | unknown): Promise<Run & { slowestMs: number }> {
  const runs: Run[] = [];
  for (let i = 0; i < n; i++) runs.push(await measure(() => fn(i)));
  runs.sort((a, b) => a.wallMs - b.wallMs);
  return { ...runs[Math.floor((runs.length - 1) / 2)]!, slowestMs: runs[runs.length - 1]!.wallMs };
}
