// Where a passphrase comes from: --passphrase-file F (its first line), the BLASTMAP_PASSPHRASE variable, or a prompt
// on the terminal that does not echo what is typed. Never from the command line itself (other users see it in ps).
import { readFileSync } from 'node:fs';
import { ApiError } from '../api/errors.js';
import { UsageError, type CliIo } from './shared.js';

export const PASSPHRASE_ENV = 'BLASTMAP_PASSPHRASE';

export async function getPassphrase(io: CliIo, opts: { passphraseFile?: string }, confirm: boolean, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  if (opts.passphraseFile) {
    let text: string;
    try {
      text = readFileSync(opts.passphraseFile, 'utf8');
    } catch (err) {
      throw new ApiError({ code: 'bad-input', message: `${opts.passphraseFile}: cannot read the passphrase file (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})` });
    }
    const first = text.split(/\r?\n/)[0] ?? '';
    if (!first) throw new ApiError({ code: 'bad-input', message: `${opts.passphraseFile}: the passphrase file's first line is empty` });
    return first;
  }
  const fromEnv = env[PASSPHRASE_ENV];
  if (fromEnv) return fromEnv;
  if (!io.readSecret) throw new UsageError(`no passphrase: run in a terminal to be asked, or give --passphrase-file FILE or ${PASSPHRASE_ENV}`);
  const first = await io.readSecret('Passphrase: ');
  if (!first) throw new UsageError('no passphrase given');
  if (confirm && (await io.readSecret('Passphrase again: ')) !== first) throw new UsageError('the two passphrases differ');
  return first;
}

/** A prompt on a terminal that echoes nothing; null when standard input is not a terminal. */
export function terminalSecretReader(): ((prompt: string) => Promise<string>) | undefined {
  const stdin = process.stdin;
  if (!stdin.isTTY || !process.stderr.isTTY) return undefined;
  return (prompt) =>
    new Promise((resolve, reject) => {
      process.stderr.write(prompt);
      stdin.setRawMode(true);
      stdin.resume();
      stdin.setEncoding('utf8');
      let value = '';
      const done = (err?: Error) => {
        stdin.setRawMode(false);
        stdin.pause();
        stdin.off('data', onData);
        process.stderr.write('\n');
        if (err) reject(err);
        else resolve(value);
      };
      const onData = (chunk: string) => {
        for (const ch of chunk) {
          if (ch === '\r' || ch === '\n') return done();
          if (ch === '\u0003') return done(new UsageError('cancelled'));
          if (ch === '\u007f' || ch === '\b') value = value.slice(0, -1);
          else if (ch >= ' ') value += ch;
        }
      };
      stdin.on('data', onData);
    });
}
