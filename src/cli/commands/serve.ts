import type { Command } from 'commander';
import { isEncryptedFile, openEncryptedCopy } from '../../pack/pack.js';
import { getPassphrase, PASSPHRASE_ENV } from '../passphrase.js';
import { type CliContext, parseCount } from '../shared.js';

export function registerServe(program: Command, cx: CliContext): void {
  const { io, caseOption } = cx;
  program
    .command('serve')
    .description('browser mode: serve the explorer and the API for one case on 127.0.0.1, with a per-launch token')
    .addOption(caseOption())
    .option('--port <n>', 'port to listen on (default: any free port)', parseCount, 0)
    .option('--no-open', 'do not open a browser')
    .option('--passphrase-file <file>', `an encrypted case (.blastmap.enc): read its passphrase from this file (else ${PASSPHRASE_ENV}, else asked)`)
    .action(async (opts: { case: string; port: number; open: boolean; passphraseFile?: string }) => {
      const { serveCase } = await import('../../server/serve.js');
      if (!isEncryptedFile(opts.case)) return serveCase({ casePath: opts.case, port: opts.port, open: opts.open, out: io.out, err: io.err });
      // An encrypted case is served from a decrypted copy in a private directory, wiped when the server stops.
      const copy = await openEncryptedCopy(opts.case, await getPassphrase(io, opts, false));
      process.once('exit', copy.wipe);
      try {
        io.err(`blastmap: ${opts.case} is decrypted into a private temporary copy for this session; it is wiped when the server stops, and changes (marks, imports) are not written back to the encrypted file\n`);
        await serveCase({ casePath: copy.path, displayPath: opts.case, port: opts.port, open: opts.open, out: io.out, err: io.err });
      } finally {
        copy.wipe();
      }
    });
}
