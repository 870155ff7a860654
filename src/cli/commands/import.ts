import type { Command } from 'commander';
import type { ImportProgress } from '../../api/import.js';
import { type CliContext, progressLine, waiting } from '../shared.js';

export function registerImport(program: Command, cx: CliContext): void {
  const { io, json, withEngine, caseOption } = cx;
  program
    .command('import')
    .description('import export files into a case (created if missing); all files land or none do')
    .argument('<files...>', 'export files (JSON, JSON-lines, CSV, YAML; gzip accepted)')
    .addOption(caseOption())
    .option('--format <format>', 'skip detection and read every file as this format')
    .option('--cluster <name>', 'Kubernetes imports: the cluster name')
    .option('--account <id>', 'AWS imports that do not name their account: the account id')
    .option('--project <id>', 'GCP IAM policies that do not name their project: the project id')
    .option('--organization <id>', "GCP IAM policies of an organization (gcloud organizations get-iam-policy): the organization's numeric id")
    .option('--folder <id>', "GCP IAM policies of a folder (gcloud resource-manager folders get-iam-policy): the folder's numeric id")
    .option('--supersede', 'also replace older exports of the same format and boundaries (a newer GAAD of the account, a newer kubectl export of the cluster)')
    .option('--as-of <time>', "the case's reference time (ISO-8601) for date conditions and ages, kept for later imports; 'now' clears it")
    .option('--json', 'machine-readable output')
    .action(async (files: string[], opts: { case: string; format?: string; cluster?: string; account?: string; project?: string; organization?: string; folder?: string; supersede?: boolean; asOf?: string; json?: boolean }) => {
      await withEngine(opts.case, true, async (engine) => {
        const options = { ...(opts.format ? { format: opts.format } : {}), ...(opts.cluster ? { cluster: opts.cluster } : {}), ...(opts.account ? { account: opts.account } : {}), ...(opts.project ? { project: opts.project } : {}), ...(opts.organization ? { organization: opts.organization } : {}), ...(opts.folder ? { folder: opts.folder } : {}), ...(opts.supersede ? { supersede: true } : {}), ...(opts.asOf ? { asOf: opts.asOf } : {}) };
        // Progress on a terminal; elsewhere only the wait for another process writing the case is worth a line.
        const onProgress = (p: ImportProgress) => {
          if (io.errIsTty) io.err(`\r\x1b[K${progressLine(p)}`);
          else if (p.phase === 'waiting') waiting(io, p.waitedMs ?? 0);
        };
        const result = await engine.importWithHooks({ files: files.map((path) => ({ path })), options }, { onProgress, by: 'cli' });
        if (io.errIsTty) io.err('\r\x1b[K');
        if (opts.json) return json(result);
        for (const s of result.sources) io.out(`imported ${s.fileName} as ${s.format}: ${s.counts.nodes} nodes, ${s.counts.edges} edges\n`);
        for (const w of result.warnings) io.out(`warning: ${w.file}${w.location ? ` (${w.location})` : ''}: ${w.message}\n`);
        const c = result.counts;
        io.out(`case ${opts.case}: ${c.nodes} nodes, ${c.edges} edges (${c.derivedEdges} derived), ${c.findings} findings — ${result.elapsedMs} ms\n`);
      });
    });
}
