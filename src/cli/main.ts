import { existsSync, rmSync } from 'node:fs';
import { Command, CommanderError, Option } from 'commander';
import type { ApiErrorShape } from '../api/contract.js';
import { openEngine, type Engine } from '../api/engine.js';
import { ApiError } from '../api/errors.js';
import { COMMANDS } from './commands/index.js';
import { terminalSecretReader } from './passphrase.js';
import { EXIT, UsageError, waiting, type CliContext, type CliIo } from './shared.js';

export { EXIT, type CliIo } from './shared.js';

const readSecret = terminalSecretReader();
const defaultIo: CliIo = {
  out: (t) => process.stdout.write(t),
  err: (t) => process.stderr.write(t),
  errIsTty: Boolean(process.stderr.isTTY),
  ...(readSecret ? { readSecret } : {}),
};

/** Runs the CLI with the given arguments (without node and script) and returns the exit code. */
export async function runCli(argv: string[], io: CliIo = defaultIo): Promise<number> {
  let code: number = EXIT.ok;
  const program = new Command('blastmap')
    .description('Map non-human identities, their credentials and attack paths from offline exports.')
    .exitOverride()
    .configureOutput({ writeOut: io.out, writeErr: io.err })
    .showHelpAfterError(false);

  const caseOption = () => new Option('--case <file>', 'the case file (.blastmap)').makeOptionMandatory();
  const json = (value: unknown) => io.out(`${JSON.stringify(value, null, 2)}\n`);

  const withEngine = async (casePath: string, create: boolean, fn: (engine: Engine) => Promise<void>) => {
    // A case this command creates and then fails to fill (a refused import) is not left behind, empty.
    const created = create && !existsSync(casePath);
    const engine = openEngine(casePath, { create, onBusy: (waitedMs) => waiting(io, waitedMs) });
    let failed = true;
    try {
      await fn(engine);
      failed = false;
    } finally {
      engine.close();
      if (failed && created) for (const f of [casePath, `${casePath}-wal`, `${casePath}-shm`, `${casePath}-journal`]) rmSync(f, { force: true });
    }
  };

  /** Resolves a pasted handle to one node id, or fails with exit 2 and the candidates. */
  const resolveRef = async (engine: Engine, ref: string): Promise<string> => {
    const r = await engine.resolve({ ref });
    if (r.status === 'found') return r.node.id;
    throw new ApiError({
      code: r.status === 'ambiguous' ? 'ambiguous' : 'not-found',
      message: r.status === 'ambiguous' ? `'${ref}' matches ${r.candidates.length} nodes; use one of their ids` : `nothing in the case matches '${ref}'`,
      candidates: r.candidates,
    });
  };

  const cx: CliContext = { io, json, withEngine, resolveRef, caseOption, setExitCode: (c) => (code = c) };
  for (const register of COMMANDS) register(program, cx);

  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (err) {
    code = reportError(err, io, argv.includes('--json'));
  }
  return code;
}

function reportError(err: unknown, io: CliIo, asJson: boolean): number {
  if (err instanceof CommanderError) {
    if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') return EXIT.ok;
    return EXIT.usage;
  }
  if (err instanceof UsageError) {
    io.err(`blastmap: ${err.message}\n`);
    return EXIT.usage;
  }
  const shape: ApiErrorShape = err instanceof ApiError ? err.toJSON() : { code: 'internal', message: (err as Error)?.message ?? String(err) };
  if (asJson) io.out(`${JSON.stringify({ error: shape }, null, 2)}\n`);
  io.err(`blastmap: ${shape.message}\n`);
  for (const c of shape.candidates ?? []) io.err(`  candidate: ${c.id}  (${c.kind}, ${c.name})\n`);
  if (shape.code === 'not-found' || shape.code === 'ambiguous') return EXIT.usage;
  return EXIT.badInput;
}

