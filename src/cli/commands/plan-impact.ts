import { Option, type Command } from 'commander';
import { formatPlanImpact } from '../format-compare.js';
import { parseGates, trippedGates } from '../gate.js';
import { type CliContext, EXIT } from '../shared.js';
import { addLimitOptions, limitsOf, type LimitFlags } from './diff.js';

export function registerPlanImpact(program: Command, cx: CliContext): void {
  const { io, json, withEngine, caseOption, setExitCode } = cx;
  const cmd = program
    .command('plan-impact')
    .description('what importing these files would change (a Terraform plan, a newer export): imported into a private copy of the case, compared, the case untouched')
    .argument('<files...>', 'the file(s) to test')
    .addOption(caseOption())
    .addOption(new Option('--replace <rule>', "which sources the file replaces: 'scope' (the same file, and older whole-scope exports of the same format and boundaries) or 'same-file'").choices(['scope', 'same-file']).default('scope'))
    .option('--replaces <sources>', 'sources it also replaces, by id or file name (comma-separated)')
    .option('--format <format>', 'skip detection and read every file as this format')
    .option('--cluster <name>', 'Kubernetes imports: the cluster name')
    .option('--account <id>', 'AWS imports that do not name their account: the account id')
    .option('--project <id>', 'GCP IAM policies that do not name their project: the project id')
    .option('--organization <id>', "GCP IAM policies of an organization (gcloud organizations get-iam-policy): the organization's numeric id")
    .option('--folder <id>', "GCP IAM policies of a folder (gcloud resource-manager folders get-iam-policy): the folder's numeric id")
    .option('--fail-on <gates>', 'exit 3 when the change brings new-admin-path, new-critical or new-high (comma-separated)')
    .option('--json', 'machine-readable output (PlanImpact)');
  addLimitOptions(cmd).action(
    async (files: string[], opts: { case: string; replace: 'scope' | 'same-file'; replaces?: string; format?: string; cluster?: string; account?: string; project?: string; organization?: string; folder?: string; failOn?: string; json?: boolean } & LimitFlags) => {
      const gates = parseGates(opts.failOn);
      const options = { ...(opts.format ? { format: opts.format } : {}), ...(opts.cluster ? { cluster: opts.cluster } : {}), ...(opts.account ? { account: opts.account } : {}), ...(opts.project ? { project: opts.project } : {}), ...(opts.organization ? { organization: opts.organization } : {}), ...(opts.folder ? { folder: opts.folder } : {}) };
      const replaces = opts.replaces?.split(',').map((s) => s.trim()).filter(Boolean) ?? [];
      await withEngine(opts.case, false, async (engine) => {
        const impact = await engine.planImpact({
          files: files.map((path) => ({ path })),
          ...(Object.keys(options).length ? { options } : {}),
          replace: opts.replace,
          ...(replaces.length ? { replaces } : {}),
          limits: limitsOf(opts),
        });
        if (opts.json) json(impact);
        else io.out(formatPlanImpact(impact));
        const tripped = trippedGates(impact.diff, gates);
        for (const t of tripped) io.err(`blastmap: --fail-on ${t}\n`);
        if (tripped.length) setExitCode(EXIT.gate);
      });
    },
  );
}
