import { Command, CommanderError, Option } from 'commander';
import { readFileSync } from 'node:fs';
import type { ApiErrorShape, AttackPath, BlastRadius, ContainmentPlan, Finding, MarkKind, NodeDetails, NodeSummary, SearchHit } from '../api/contract.js';
import { ACCESS_LEVELS } from '../api/contract.js';
import { openEngine, type Engine } from '../api/engine.js';
import { ApiError } from '../api/errors.js';
import type { ImportProgress } from '../api/import.js';
import { buildDemoCase } from '../demo.js';

/** Exit codes of the CLI contract. */
export const EXIT = { ok: 0, badInput: 1, usage: 2 } as const;

export interface CliIo {
  out: (text: string) => void;
  err: (text: string) => void;
  /** Whether stderr is a terminal (progress is shown only then). */
  errIsTty: boolean;
}

const defaultIo: CliIo = {
  out: (t) => process.stdout.write(t),
  err: (t) => process.stderr.write(t),
  errIsTty: Boolean(process.stderr.isTTY),
};

class UsageError extends Error {}

/** Runs the CLI with the given arguments (without node and script) and returns the exit code. */
export async function runCli(argv: string[], io: CliIo = defaultIo): Promise<number> {
  let code: number = EXIT.ok;
  const program = new Command('blastmap')
    .description('Map non-human identities, their credentials and attack paths from offline exports.')
    .exitOverride()
    .configureOutput({ writeOut: io.out, writeErr: io.err })
    .showHelpAfterError(false);

  const caseOption = () => new Option('--case <file>', 'the case file (.blastmap)').makeOptionMandatory();
  const json = (value: unknown) => io.out(`${JSON.stringify(value, null, 2)}\n`);

  const withEngine = async (casePath: string, create: boolean, fn: (engine: Engine) => Promise<void>) => {
    const engine = openEngine(casePath, { create });
    try {
      await fn(engine);
    } finally {
      engine.close();
    }
  };

  /** Resolves a pasted handle to one node id, or fails with exit 2 and the candidates. */
  const resolveRef = async (engine: Engine, ref: string): Promise<string> => {
    const r = await engine.resolve({ ref });
    if (r.status === 'found') return r.node.id;
    throw new ApiError({
      code: r.status === 'ambiguous' ? 'ambiguous' : 'not-found',
      message: r.status === 'ambiguous' ? `'${ref}' matches ${r.candidates.length} nodes; use one of their ids` : `nothing in the case matches '${ref}'`,
      candidates: r.candidates,
    });
  };

  program
    .command('import')
    .description('import export files into a case (created if missing); all files land or none do')
    .argument('<files...>', 'export files (JSON, JSON-lines, CSV, YAML; gzip accepted)')
    .addOption(caseOption())
    .option('--format <format>', 'skip detection and read every file as this format')
    .option('--cluster <name>', 'Kubernetes imports: the cluster name')
    .option('--account <id>', 'AWS imports that do not name their account: the account id')
    .option('--project <id>', 'GCP IAM policies that do not name their project: the project id')
    .option('--json', 'machine-readable output')
    .action(async (files: string[], opts: { case: string; format?: string; cluster?: string; account?: string; project?: string; json?: boolean }) => {
      await withEngine(opts.case, true, async (engine) => {
        const options = { ...(opts.format ? { format: opts.format } : {}), ...(opts.cluster ? { cluster: opts.cluster } : {}), ...(opts.account ? { account: opts.account } : {}), ...(opts.project ? { project: opts.project } : {}) };
        const onProgress = io.errIsTty ? (p: ImportProgress) => io.err(`\r\x1b[K${progressLine(p)}`) : undefined;
        const result = await engine.importWithHooks({ files: files.map((path) => ({ path })), options }, onProgress ? { onProgress, by: 'cli' } : { by: 'cli' });
        if (io.errIsTty) io.err('\r\x1b[K');
        if (opts.json) return json(result);
        for (const s of result.sources) io.out(`imported ${s.fileName} as ${s.format}: ${s.counts.nodes} nodes, ${s.counts.edges} edges\n`);
        for (const w of result.warnings) io.out(`warning: ${w.file}${w.location ? ` (${w.location})` : ''}: ${w.message}\n`);
        const c = result.counts;
        io.out(`case ${opts.case}: ${c.nodes} nodes, ${c.edges} edges (${c.derivedEdges} derived), ${c.findings} findings — ${result.elapsedMs} ms\n`);
      });
    });

  program
    .command('demo')
    .description('build the demo case (a fictional company with two AWS accounts, an EKS cluster and a leaked key)')
    .addOption(caseOption())
    .action(async (opts: { case: string }) => {
      await buildDemoCase(opts.case);
      io.out(`demo case written to ${opts.case}\n`);
    });

  program
    .command('formats')
    .description('list the export formats Blastmap reads')
    .option('--json', 'machine-readable output')
    .action(async (opts: { json?: boolean }) => {
      const { IMPORTERS } = await import('../importers/index.js');
      const list = IMPORTERS.map((i) => ({ format: i.format, title: i.title, provider: i.provider, producedBy: i.producedBy }));
      if (opts.json) return json(list);
      for (const f of list) io.out(`${f.format.padEnd(28)} ${f.title} — ${f.producedBy}\n`);
    });

  program
    .command('search')
    .description('find nodes by name or any handle (ARN, key id, email, ns/name)')
    .argument('<text>')
    .addOption(caseOption())
    .option('--limit <n>', 'at most this many hits', parseCount, 20)
    .option('--json', 'machine-readable output')
    .action(async (text: string, opts: { case: string; limit: number; json?: boolean }) => {
      await withEngine(opts.case, false, async (engine) => {
        const hits = await engine.search({ text, limit: opts.limit });
        if (opts.json) return json(hits);
        if (!hits.length) io.out(`no match for '${text}'\n`);
        for (const h of hits) io.out(formatHit(h));
      });
    });

  program
    .command('node')
    .description('show a node: properties, credentials, edges with their evidence, sources, marks, findings')
    .argument('<ref>')
    .addOption(caseOption())
    .option('--since <time>', 'list only observed activity at or after this time (ISO-8601)')
    .option('--until <time>', 'list only observed activity at or before this time (ISO-8601)')
    .option('--json', 'machine-readable output')
    .action(async (ref: string, opts: { case: string; since?: string; until?: string; json?: boolean }) => {
      for (const t of [opts.since, opts.until]) if (t !== undefined && Number.isNaN(Date.parse(t))) throw new UsageError(`not a date: ${t} (use ISO-8601, e.g. 2026-11-21T02:00:00Z)`);
      await withEngine(opts.case, false, async (engine) => {
        const details = await engine.node({ id: await resolveRef(engine, ref), ...(opts.since ? { since: opts.since } : {}), ...(opts.until ? { until: opts.until } : {}) });
        if (opts.json) return json(details);
        io.out(formatNode(details));
      });
    });

  program
    .command('mark')
    .description('mark nodes compromised or high-value (refs as arguments or one per line in --from-file)')
    .argument('[refs...]')
    .addOption(caseOption())
    .addOption(new Option('--as <mark>', 'the mark').choices(['compromised', 'high-value']).makeOptionMandatory())
    .option('--note <text>', 'why', '')
    .option('--from-file <file>', 'read refs from a file, one per line (# comments allowed)')
    .option('--undo', 'remove the mark instead (kept in the case history)')
    .option('--json', 'machine-readable output')
    .action(async (refs: string[], opts: { case: string; as: MarkKind; note: string; fromFile?: string; undo?: boolean; json?: boolean }) => {
      const all = [...refs, ...(opts.fromFile ? readRefFile(opts.fromFile) : [])];
      if (!all.length) throw new UsageError('mark needs at least one ref');
      await withEngine(opts.case, false, async (engine) => {
        const ids: string[] = [];
        for (const ref of all) ids.push(await resolveRef(engine, ref));
        if (opts.undo) {
          const r = await engine.unmark({ ids, mark: opts.as });
          return opts.json ? json(r) : io.out(`removed ${r.removed} ${opts.as} mark(s)\n`);
        }
        const marks = await engine.mark({ ids, mark: opts.as, note: opts.note, by: 'cli' });
        if (opts.json) return json(marks);
        for (const m of marks) io.out(`marked ${m.nodeId} ${m.mark}\n`);
      });
    });

  program
    .command('blast-radius')
    .description('everything a node (credential, leak, identity) can reach')
    .argument('<ref>')
    .addOption(caseOption())
    .option('--max-depth <n>', 'stop after this many steps', parseCount)
    .option('--include-conditional', 'follow edges whose condition cannot be decided offline (default)')
    .option('--exclude-conditional', 'do not follow conditional edges')
    .option('--observed-only', 'follow only what activity logs show was used (OBSERVED_USE edges)')
    .option('--since <time>', 'with --observed-only: activity seen at or after this ISO time')
    .option('--until <time>', 'with --observed-only: activity seen at or before this ISO time')
    .option('--json', 'machine-readable output')
    .action(async (ref: string, opts: { case: string; maxDepth?: number; includeConditional?: boolean; json?: boolean } & WindowFlags) => {
      await withEngine(opts.case, false, async (engine) => {
        const br = await engine.blastRadius({ from: await resolveRef(engine, ref), ...(opts.maxDepth !== undefined ? { maxDepth: opts.maxDepth } : {}), ...traversalFlags(opts) });
        if (opts.json) return json(br);
        io.out(formatBlastRadius(br));
      });
    });

  program
    .command('paths')
    .description('attack paths from a node to a node, to any admin node, or to any high-value node')
    .argument('<from-ref>')
    .requiredOption('--to <target>', "a ref, 'admin' or 'high-value'")
    .addOption(caseOption())
    .option('--k <n>', 'at most this many paths', parseCount, 10)
    .option('--max-depth <n>', 'longest path considered', parseCount)
    .option('--exclude-conditional', 'do not follow conditional edges')
    .option('--observed-only', 'follow only what activity logs show was used (OBSERVED_USE edges)')
    .option('--since <time>', 'with --observed-only: activity seen at or after this ISO time')
    .option('--until <time>', 'with --observed-only: activity seen at or before this ISO time')
    .option('--json', 'machine-readable output')
    .action(async (fromRef: string, opts: { case: string; to: string; k: number; maxDepth?: number; json?: boolean } & WindowFlags) => {
      await withEngine(opts.case, false, async (engine) => {
        const from = await resolveRef(engine, fromRef);
        const to = opts.to === 'admin' || opts.to === 'high-value' ? opts.to : await resolveRef(engine, opts.to);
        const paths = await engine.paths({ from, to, k: opts.k, ...(opts.maxDepth !== undefined ? { maxDepth: opts.maxDepth } : {}), ...traversalFlags(opts) });
        if (opts.json) return json(paths);
        io.out(formatPaths(paths));
      });
    });

  program
    .command('containment')
    .description('the cheapest cuts (revoke a key, remove a binding, tighten a trust) that cut a node off from every admin and high-value node')
    .argument('<ref>')
    .addOption(caseOption())
    .option('--targets <refs>', 'comma-separated refs to protect instead of every admin and high-value node')
    .option('--exclude-conditional', 'ignore edges whose condition cannot be decided offline')
    .option('--json', 'machine-readable output')
    .action(async (ref: string, opts: { case: string; targets?: string; excludeConditional?: boolean; json?: boolean }) => {
      await withEngine(opts.case, false, async (engine) => {
        const from = await resolveRef(engine, ref);
        const targets: string[] = [];
        for (const t of (opts.targets ?? '').split(',').map((x) => x.trim()).filter(Boolean)) targets.push(await resolveRef(engine, t));
        const plan = await engine.containment({ from, ...(targets.length ? { targets } : {}), ...(opts.excludeConditional ? { includeConditional: false } : {}) });
        if (opts.json) return json(plan);
        io.out(formatContainment(plan));
      });
    });

  program
    .command('findings')
    .description('posture findings over everything in the case')
    .addOption(caseOption())
    .addOption(new Option('--severity <level>').choices(['critical', 'high', 'medium', 'low', 'info']))
    .option('--json', 'machine-readable output')
    .action(async (opts: { case: string; severity?: Finding['severity']; json?: boolean }) => {
      await withEngine(opts.case, false, async (engine) => {
        const list = await engine.findings(opts.severity ? { severity: opts.severity } : {});
        if (opts.json) return json(list);
        if (!list.length) io.out('no findings\n');
        for (const f of list) io.out(`[${f.severity}] ${f.title} — ${f.node?.name ?? f.nodeId}\n    ${f.summary}\n`);
      });
    });

  program
    .command('serve')
    .description('browser mode: serve the explorer and the API for one case on 127.0.0.1, with a per-launch token')
    .addOption(caseOption())
    .option('--port <n>', 'port to listen on (default: any free port)', parseCount, 0)
    .option('--no-open', 'do not open a browser')
    .action(async (opts: { case: string; port: number; open: boolean }) => {
      const { serveCase } = await import('../server/serve.js');
      await serveCase({ casePath: opts.case, port: opts.port, open: opts.open, out: io.out, err: io.err });
    });

  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (err) {
    code = reportError(err, io, argv.includes('--json'));
  }
  return code;
}

function reportError(err: unknown, io: CliIo, asJson: boolean): number {
  if (err instanceof CommanderError) {
    if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') return EXIT.ok;
    return EXIT.usage;
  }
  if (err instanceof UsageError) {
    io.err(`blastmap: ${err.message}\n`);
    return EXIT.usage;
  }
  const shape: ApiErrorShape = err instanceof ApiError ? err.toJSON() : { code: 'internal', message: (err as Error)?.message ?? String(err) };
  if (asJson) io.out(`${JSON.stringify({ error: shape }, null, 2)}\n`);
  io.err(`blastmap: ${shape.message}\n`);
  for (const c of shape.candidates ?? []) io.err(`  candidate: ${c.id}  (${c.kind}, ${c.name})\n`);
  if (shape.code === 'not-found' || shape.code === 'ambiguous') return EXIT.usage;
  return EXIT.badInput;
}

interface WindowFlags {
  excludeConditional?: boolean;
  observedOnly?: boolean;
  since?: string;
  until?: string;
}

function traversalFlags(opts: WindowFlags): { includeConditional: boolean; observedOnly?: boolean; since?: string; until?: string } {
  for (const [flag, value] of [['--since', opts.since], ['--until', opts.until]] as const) {
    if (value !== undefined && Number.isNaN(Date.parse(value))) throw new UsageError(`${flag} expects an ISO date or time, got '${value}'`);
  }
  if ((opts.since || opts.until) && !opts.observedOnly) throw new UsageError('--since and --until apply to --observed-only');
  if (opts.since && opts.until && Date.parse(opts.since) > Date.parse(opts.until)) throw new UsageError('--since is after --until');
  return {
    includeConditional: !opts.excludeConditional,
    ...(opts.observedOnly ? { observedOnly: true } : {}),
    ...(opts.since ? { since: opts.since } : {}),
    ...(opts.until ? { until: opts.until } : {}),
  };
}

function parseCount(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new UsageError(`expected a whole number, got '${value}'`);
  return n;
}

function readRefFile(file: string): string[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ApiError({ code: 'bad-input', message: `${file}: cannot read the file (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})` });
  }
  return text
    .split(/\r?\n/)
    .map((l) => l.replace(/#.*/, '').trim())
    .filter(Boolean);
}

function progressLine(p: ImportProgress): string {
  if (p.phase === 'deriving') return 'deriving edges and findings…';
  if (p.phase === 'done') return '';
  return `[${p.index + 1}/${p.total}] ${p.file}: ${p.phase}${p.nodes || p.edges ? ` (${p.nodes} nodes, ${p.edges} edges)` : ''}`;
}

const label = (n: NodeSummary) => `${n.name} [${n.kind}]${n.marks.length ? ` {${n.marks.join(', ')}}` : ''}`;

function formatHit(h: SearchHit): string {
  return `${h.node.id}\n    ${label(h.node)}${h.matched !== h.node.name && h.matched !== h.node.id ? `  matched ${h.matched}` : ''}\n`;
}

function formatNode(d: NodeDetails): string {
  const lines = [`${label(d.node)}`, `  id: ${d.node.id}`];
  if (d.node.boundary) lines.push(`  boundary: ${d.node.boundary}`);
  if (d.handles.length > 1) lines.push(`  handles: ${d.handles.filter((h) => h !== d.node.id).join(', ')}`);
  for (const [k, v] of Object.entries(d.props)) if (typeof v !== 'object' || v === null) lines.push(`  ${k}: ${String(v)}`);
  lines.push(`  sources: ${d.sources.map((s) => `${s.fileName} (${s.format})`).join(', ') || 'derived'}`);
  for (const m of d.marks) lines.push(`  marked ${m.mark} by ${m.by} at ${m.at}${m.note ? `: ${m.note}` : ''}`);
  if (d.out.length) lines.push('  out:');
  for (const { edge, other } of d.out) lines.push(`    ${edge.kind} → ${label(other)}${edge.conditional ? ' (conditional)' : ''}\n      ${edge.reason}`);
  if (d.in.length) lines.push('  in:');
  for (const { edge, other } of d.in) lines.push(`    ${edge.kind} ← ${label(other)}${edge.conditional ? ' (conditional)' : ''}\n      ${edge.reason}`);
  if (d.activity?.length) lines.push('  observed activity:');
  for (const a of d.activity ?? []) {
    const span = a.firstSeen === a.lastSeen ? `${a.firstSeen ?? '?'}` : `${a.firstSeen ?? '?'} … ${a.lastSeen ?? '?'}`;
    lines.push(`    ${a.direction === 'out' ? '→' : '←'} ${label(a.other)}: ${a.count} event(s), ${span}${a.actions.length ? `\n      ${a.actions.slice(0, 8).join(', ')}${a.actions.length > 8 ? ', …' : ''}` : ''}`);
  }
  for (const f of d.findings) lines.push(`  finding [${f.severity}] ${f.title}`);
  if (d.truncated) lines.push('  (more edges exist; use --json or the explorer)');
  return `${lines.join('\n')}\n`;
}

function formatBlastRadius(br: BlastRadius): string {
  const lines = [`blast radius of ${label(br.origin)}`];
  lines.push(`  identities: ${br.identities.length}, credentials: ${br.credentials.length}, resources: ${br.resources.length}, admin of: ${br.admins.length}`);
  for (const b of br.byBoundary) lines.push(`  ${b.boundary.name}: ${b.identities} identities, ${b.resources} resources${b.admin ? ', ADMIN' : ''}`);
  for (const [level, n] of Object.entries(br.byAccessLevel)) lines.push(`  ${level}: ${n}`);
  for (const a of br.admins) lines.push(`  admin: ${label(a.node)} in ${a.depth} step(s)${a.conditional ? ' (conditional)' : ''}`);
  for (const r of br.identities.slice(0, 50)) lines.push(`  ${'  '.repeat(Math.min(r.depth, 6))}${label(r.node)} (depth ${r.depth})`);
  if (br.identities.length > 50) lines.push(`  … ${br.identities.length - 50} more identities (use --json)`);
  const resources = [...br.resources].sort((a, b) => ACCESS_RANK.indexOf(b.accessLevel ?? '') - ACCESS_RANK.indexOf(a.accessLevel ?? '') || a.depth - b.depth);
  for (const r of resources.slice(0, 50)) lines.push(`  resource ${label(r.node)}: ${r.accessLevel ?? 'reached'}${r.via ? ` via ${r.via}` : ''}${r.conditional ? ' (conditional)' : ''}`);
  if (resources.length > 50) lines.push(`  … ${resources.length - 50} more resources (use --json)`);
  return `${lines.join('\n')}\n`;
}

const ACCESS_RANK: string[] = ['', ...ACCESS_LEVELS];

function formatPaths(paths: AttackPath[]): string {
  if (!paths.length) return 'no path\n';
  const lines: string[] = [];
  paths.forEach((p, i) => {
    lines.push(`path ${i + 1}: ${p.steps.length} step(s)${p.conditional ? ' (conditional)' : ''}`);
    for (const s of p.steps) {
      lines.push(`  ${label(s.from)}\n    —${s.edge.kind}${s.edge.technique ? ` (${s.edge.technique})` : ''}→ ${label(s.to)}`);
      lines.push(`      why: ${s.edge.reason}${s.edge.conditional ? ` [if ${s.edge.conditional}]` : ''}`);
      for (const ev of s.edge.evidence.slice(0, 3)) lines.push(`      evidence: ${ev.summary}${ev.location ? ` (${ev.location})` : ''}`);
    }
  });
  return `${lines.join('\n')}\n`;
}

function formatContainment(plan: ContainmentPlan): string {
  const lines = [`containment of ${label(plan.origin)}`];
  if (!plan.pathsBefore) return `${lines[0]}\n  no path to ${plan.targets.length ? plan.targets.map(label).join(', ') : 'any admin or high-value node'}: nothing to cut\n`;
  lines.push(`  ${plan.pathsBefore}${plan.pathsBefore >= plan.pathLimit ? '+' : ''} path(s) to ${plan.targets.length} target(s); ${plan.cuts.length} cut(s), cost ${plan.cost}:`);
  for (const c of plan.cuts) {
    lines.push(`  [ ] ${c.action}  (cost ${c.cost}, on ${c.pathsCut} path(s))`);
    lines.push(`      removes ${c.edge.kind}: ${c.edge.reason}${c.edge.conditional ? ` [if ${c.edge.conditional}]` : ''}`);
    for (const ev of c.edge.evidence.slice(0, 3)) lines.push(`      evidence: ${ev.summary}${ev.location ? ` (${ev.location})` : ''}`);
    for (const also of c.alsoRemoves ?? []) lines.push(`      also removes ${also.kind}: ${also.reason}${also.source ? ` (${also.source.fileName})` : ''}`);
  }
  lines.push(plan.pathsAfter === 0 ? '  re-check: no path left after these cuts' : `  re-check: ${plan.pathsAfter} path(s) still left`);
  return `${lines.join('\n')}\n`;
}
