import type { Command } from 'commander';
import { buildDemoCase } from '../../demo.js';
import { type CliContext } from '../shared.js';

export function registerDemo(program: Command, cx: CliContext): void {
  const { io, caseOption } = cx;
  program
    .command('demo')
    .description('build the demo case (a fictional company with two AWS accounts, an EKS cluster and a leaked key)')
    .addOption(caseOption())
    .action(async (opts: { case: string }) => {
      await buildDemoCase(opts.case);
      io.out(`demo case written to ${opts.case}\n`);
    });
}
