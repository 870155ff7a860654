import { Option, type Command } from 'commander';
import { formatContainment } from '../format.js';
import { writeTableOut } from '../output.js';
import { type CliContext } from '../shared.js';

export function registerContainment(program: Command, cx: CliContext): void {
  const { io, json, withEngine, resolveRef, caseOption } = cx;
  program
    .command('containment')
    .description('the cheapest cuts (revoke a key, remove a binding, tighten a trust) that cut a node off from every admin and high-value node')
    .argument('<ref>')
    .addOption(caseOption())
    .option('--targets <refs>', 'comma-separated refs to protect instead of every admin and high-value node')
    .option('--exclude-conditional', 'ignore edges whose condition cannot be decided offline')
    .option('--json', 'machine-readable output')
    .addOption(new Option('--format <format>', 'write the plan as a table (one row per cut) or a Markdown checklist instead').choices(['csv', 'json', 'markdown']))
    .option('--out <path>', "with --format: the file to write ('-' for standard output, the default)")
    .action(async (ref: string, opts: { case: string; targets?: string; excludeConditional?: boolean; json?: boolean; format?: 'csv' | 'json' | 'markdown'; out?: string }) => {
      await withEngine(opts.case, false, async (engine) => {
        const from = await resolveRef(engine, ref);
        const targets: string[] = [];
        for (const t of (opts.targets ?? '').split(',').map((x) => x.trim()).filter(Boolean)) targets.push(await resolveRef(engine, t));
        if (opts.format) {
          return void (await writeTableOut(engine, { table: 'containment', format: opts.format, from, ...(targets.length ? { targets } : {}), ...(opts.excludeConditional ? { includeConditional: false } : {}) }, opts.out, io));
        }
        const plan = await engine.containment({ from, ...(targets.length ? { targets } : {}), ...(opts.excludeConditional ? { includeConditional: false } : {}) });
        if (opts.json) return json(plan);
        io.out(formatContainment(plan));
      });
    });
}
