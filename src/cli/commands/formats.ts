import type { Command } from 'commander';
import { type CliContext } from '../shared.js';

export function registerFormats(program: Command, cx: CliContext): void {
  const { io, json } = cx;
  program
    .command('formats')
    .description('list the export formats Blastmap reads')
    .option('--json', 'machine-readable output')
    .action(async (opts: { json?: boolean }) => {
      const { IMPORTERS } = await import('../../importers/index.js');
      const list = IMPORTERS.map((i) => ({ format: i.format, title: i.title, provider: i.provider, producedBy: i.producedBy }));
      if (opts.json) return json(list);
      for (const f of list) io.out(`${f.format.padEnd(28)} ${f.title} — ${f.producedBy}\n`);
    });
}
