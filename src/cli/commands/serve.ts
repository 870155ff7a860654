import type { Command } from 'commander';
import { type CliContext, parseCount } from '../shared.js';

export function registerServe(program: Command, cx: CliContext): void {
  const { io, caseOption } = cx;
  program
    .command('serve')
    .description('browser mode: serve the explorer and the API for one case on 127.0.0.1, with a per-launch token')
    .addOption(caseOption())
    .option('--port <n>', 'port to listen on (default: any free port)', parseCount, 0)
    .option('--no-open', 'do not open a browser')
    .action(async (opts: { case: string; port: number; open: boolean }) => {
      const { serveCase } = await import('../../server/serve.js');
      await serveCase({ casePath: opts.case, port: opts.port, open: opts.open, out: io.out, err: io.err });
    });
}
