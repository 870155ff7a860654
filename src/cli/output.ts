// Where a command's table goes: a file named by --out (written whole or not at all), or standard output for
// `--out -` (and when --out is not given).
import type { ExportTableRequest } from '../api/contract.js';
import type { Engine } from '../api/engine.js';
import { ForwardSink, withFileAsync } from '../export/sink.js';
import type { CliIo } from './shared.js';

export async function writeTableOut(engine: Engine, req: ExportTableRequest, out: string | undefined, io: CliIo): Promise<number> {
  if (out === undefined || out === '-') {
    const sink = new ForwardSink(io.out);
    const { rows } = await engine.writeTable(req, sink);
    sink.flush();
    return rows;
  }
  const { rows } = await withFileAsync(out, (sink) => engine.writeTable(req, sink));
  io.err(`blastmap: wrote ${rows} ${req.table} row${rows === 1 ? '' : 's'} to ${out}\n`);
  return rows;
}
