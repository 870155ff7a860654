// What every fuzz input must end as: a success, or a typed bad-input error naming the file (and the place, where the
// file has one). Never an exception of another type (an importer bug the import would wrap), never the engine's own
// words, never `internal` from the store or the derivation. Hangs are the driver's to catch (it runs this in a child).
import { ApiError } from '../../src/api/errors.js';
import { runImport } from '../../src/api/import.js';
import { ImportError } from '../../src/importers/errors.js';
import { createInput } from '../../src/importers/input.js';
import { detectImporter, findImporter } from '../../src/importers/registry.js';
import type { GraphFragment } from '../../src/model/fragment.js';
import type { CaseStore } from '../../src/store/case-store.js';
import type { FuzzInput } from './mutate.js';

/** Words of the JavaScript engine (and of libraries below us) that must never reach a user. */
export const ENGINE_WORDS = /Invalid time value|Maximum call stack|call stack size|undefined is not|null is not (a function|an object|iterable)|is not a function|Cannot read propert|Cannot set propert|Cannot convert|is not iterable|Unexpected token|Unexpected end of JSON|in JSON at position|Invalid array length|Invalid string length|Cannot create a string|out of memory|RangeError|TypeError|ReferenceError|SyntaxError|Converting circular|\[object Object\]|Excessive alias count|Parser cannot parse/;

export type Outcome =
  | { kind: 'ok'; nodes: number; edges: number; warnings: number }
  | { kind: 'bad-input'; placed: boolean }
  | { kind: 'crash'; why: string };

const NOW = new Date('2026-06-01T00:00:00Z');

/** Detects (or forces) the format and parses every fragment, as an import does before it writes. */
export async function parseOutcome(input: FuzzInput): Promise<Outcome> {
  try {
    const file = createInput(input.name, input.bytes);
    const importer = input.format ? findImporter(input.format) : detectImporter(file);
    if (!importer) return { kind: 'crash', why: `no importer ${input.format}` };
    let nodes = 0;
    let edges = 0;
    const warnings: string[] = [];
    const result = importer.parse(file, { options: { account: '123456789012', project: 'fuzz-project' }, now: NOW });
    const take = (f: GraphFragment) => {
      nodes += f.nodes.length;
      edges += f.edges.length;
      for (const w of f.warnings) warnings.push(w.message);
    };
    if (Symbol.asyncIterator in result) for await (const f of result) take(f);
    else if (Symbol.iterator in result) for (const f of result) take(f);
    else take(await result);
    const leaked = warnings.find((w) => ENGINE_WORDS.test(w));
    if (leaked) return { kind: 'crash', why: `a warning in the engine's words: ${leaked.slice(0, 200)}` };
    return { kind: 'ok', nodes, edges, warnings: warnings.length };
  } catch (err) {
    return classify(err, input.name);
  }
}

function classify(err: unknown, name: string): Outcome {
  if (err instanceof ImportError) {
    if (err.file !== name) return { kind: 'crash', why: `an error naming ${err.file}, not ${name}` };
    if (ENGINE_WORDS.test(err.message)) return { kind: 'crash', why: `an error in the engine's words: ${err.message.slice(0, 300)}` };
    return { kind: 'bad-input', placed: err.location !== undefined };
  }
  const e = err as Error;
  return { kind: 'crash', why: `${e?.name ?? typeof err}: ${String(e?.message ?? err).slice(0, 300)}${e?.stack ? `\n${e.stack.split('\n').slice(1, 6).join('\n')}` : ''}` };
}

/** The whole import (write, derive, commit) of an input that parsed: anything but success or bad-input is a crash. */
export async function importOutcome(store: CaseStore, input: FuzzInput): Promise<Outcome> {
  try {
    const r = await runImport(store, { files: [{ name: input.name, contentBase64: input.bytes.toString('base64') }], options: { account: '123456789012', project: 'fuzz-project', ...(input.format ? { format: input.format } : {}) } }, { now: NOW });
    const leaked = r.warnings.find((w) => ENGINE_WORDS.test(w.message));
    if (leaked) return { kind: 'crash', why: `a warning in the engine's words: ${leaked.message.slice(0, 200)}` };
    return { kind: 'ok', nodes: r.counts.nodes, edges: r.counts.edges, warnings: r.warnings.length };
  } catch (err) {
    if (err instanceof ApiError && err.code === 'bad-input' && err.file === input.name && !ENGINE_WORDS.test(err.message)) return { kind: 'bad-input', placed: err.location !== undefined };
    const e = err as ApiError;
    return { kind: 'crash', why: `import ended with ${e?.code ?? e?.name}: ${String(e?.message).slice(0, 300)}` };
  }
}
