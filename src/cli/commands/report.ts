import { Option, type Command } from 'commander';
import { withFile } from '../../export/sink.js';
import { type CliContext } from '../shared.js';

export function registerReport(program: Command, cx: CliContext): void {
  const { io, json, withEngine, caseOption } = cx;
  program
    .command('report')
    .description('the case report: one self-contained HTML file (no network, printable) with triage, blast radius, paths, containment, findings, inventory and the sources')
    .addOption(caseOption())
    .requiredOption('--out <file>', "the HTML file to write ('-' for standard output)")
    .addOption(new Option('--only <part>', 'only the compromised credentials (triage, blast radius, paths, containment)').choices(['compromised']))
    .option('--redact-ids', 'replace account ids, names and ids with pseudonyms, for sharing')
    .option('--json', 'print {file, sections, bytes} instead of a line of text')
    .action(async (opts: { case: string; out: string; only?: 'compromised'; redactIds?: boolean; json?: boolean }) => {
      await withEngine(opts.case, false, async (engine) => {
        const file = await engine.report({ ...(opts.only ? { only: opts.only } : {}), ...(opts.redactIds ? { redactIds: true } : {}) });
        if (opts.out === '-') return io.out(file.text);
        withFile(opts.out, (sink) => sink.write(file.text));
        const summary = { file: opts.out, sections: file.rows, bytes: Buffer.byteLength(file.text) };
        if (opts.json) return json(summary);
        io.out(`report written to ${opts.out} (${summary.sections} sections, ${Math.round(summary.bytes / 1024)} KB)\n`);
      });
    });
}
