// Shared by the AWS importer tests: imports through the engine (detection, store, merge) into a fresh case.
import { readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { openEngine, type Engine } from '../../src/api/engine.js';
import { ApiError } from '../../src/api/errors.js';
import { createInput } from '../../src/importers/input.js';
import type { ImportOptions, Importer } from '../../src/importers/types.js';
import type { GraphFragment } from '../../src/model/fragment.js';
import { parseAll, tempCase, tempDir } from '../helpers.js';

export function newCase(): Engine {
  return openEngine(tempCase(), { create: true });
}

/** Writes scenario files into a temporary directory; returns their paths. */
export function files(contents: Record<string, string>): string[] {
  const dir = tempDir();
  return Object.entries(contents).map(([name, text]) => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  });
}

export async function importPaths(engine: Engine, paths: string[], options: ImportOptions = {}) {
  return engine.importFiles({ files: paths.map((path) => ({ path })), options });
}

/** The error an import fails with, and proof the case did not change. */
export async function failedImport(engine: Engine, paths: string[], options: ImportOptions = {}): Promise<ApiError> {
  const before = await engine.caseInfo({});
  const err: unknown = await importPaths(engine, paths, options).catch((e: unknown) => e);
  if (!(err instanceof ApiError)) throw new Error(`expected the import to fail, got ${JSON.stringify(err)}`);
  const after = await engine.caseInfo({});
  if (JSON.stringify(after) !== JSON.stringify(before)) throw new Error('the failed import changed the case');
  return err;
}

export function parseFile(importer: Importer, path: string, options: ImportOptions = {}): Promise<GraphFragment> {
  return parseAll(importer, createInput(basename(path), readFileSync(path)), options);
}

export function parseText(importer: Importer, name: string, text: string, options: ImportOptions = {}): Promise<GraphFragment> {
  return parseAll(importer, createInput(name, Buffer.from(text)), options);
}

export function byId(f: GraphFragment) {
  return new Map(f.nodes.map((n) => [n.id, n]));
}

/** Node details by any ref a user may paste (an id, an ARN, an AKIA id). */
export async function nodeByRef(engine: Engine, ref: string) {
  const r = await engine.resolve({ ref });
  if (r.status !== 'found') throw new Error(`${ref}: ${r.status} (${r.candidates.map((c) => c.id).join(', ')})`);
  return engine.node({ id: r.node.id });
}
