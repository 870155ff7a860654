import type { Command } from 'commander';
import { packCase, unpackCase } from '../../pack/pack.js';
import { getPassphrase, PASSPHRASE_ENV } from '../passphrase.js';
import { type CliContext } from '../shared.js';

export function registerPack(program: Command, cx: CliContext): void {
  const { io, json, caseOption } = cx;
  program
    .command('pack')
    .description(`encrypt a case for carrying (scrypt + AES-256-GCM); the passphrase is asked for, or read from --passphrase-file or ${PASSPHRASE_ENV}`)
    .addOption(caseOption())
    .requiredOption('--out <file>', 'the encrypted file to write (.blastmap.enc); it must not exist')
    .option('--passphrase-file <file>', 'read the passphrase from the first line of this file')
    .option('--json', 'print {file, bytes}')
    .action(async (opts: { case: string; out: string; passphraseFile?: string; json?: boolean }) => {
      const passphrase = await getPassphrase(io, opts, true);
      const { bytes } = await packCase(opts.case, opts.out, passphrase);
      if (opts.json) return json({ file: opts.out, bytes });
      io.out(`encrypted ${opts.case} into ${opts.out} (${Math.round(bytes / 1024)} KB)\n`);
    });
  program
    .command('unpack')
    .description('decrypt a case packed by `blastmap pack`; a wrong passphrase or a damaged file writes nothing')
    .argument('<file>', 'the encrypted case (.blastmap.enc)')
    .requiredOption('--out <file>', 'the case file to write (.blastmap); it must not exist')
    .option('--passphrase-file <file>', 'read the passphrase from the first line of this file')
    .option('--json', 'print {file, bytes}')
    .action(async (file: string, opts: { out: string; passphraseFile?: string; json?: boolean }) => {
      const passphrase = await getPassphrase(io, opts, false);
      const { bytes } = await unpackCase(file, opts.out, passphrase);
      if (opts.json) return json({ file: opts.out, bytes });
      io.out(`decrypted ${file} into ${opts.out} (${Math.round(bytes / 1024)} KB)\n`);
    });
}
