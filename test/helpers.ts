import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach } from 'vitest';
import { runCli, type CliIo } from '../src/cli/main.js';
import type { ImportContext, ImportInput, Importer } from '../src/importers/types.js';
import type { GraphFragment } from '../src/model/fragment.js';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const FIXTURES = join(ROOT, 'test', 'fixtures');
/** Real exports from public repositories, copied verbatim into the repository (test/fixtures/real-exports/PROVENANCE.md). */
export const REAL = join(FIXTURES, 'real-exports');

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A fresh temporary directory, removed after the test. */
export function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'blastmap-test-'));
  dirs.push(d);
  return d;
}

export function tempCase(): string {
  return join(tempDir(), 'case.blastmap');
}

export function sha256File(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

/** Runs the CLI in-process and captures its output. */
export async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIo = { out: (t) => (out += t), err: (t) => (err += t), errIsTty: false };
  const code = await runCli(argv, io);
  return { code, out, err };
}

/** Runs an importer's parse and merges the fragments it yields (importers may stream). */
export async function parseAll(importer: Importer, input: ImportInput, options: ImportContext['options'] = {}, now = new Date('2026-01-01T00:00:00Z')): Promise<GraphFragment> {
  const merged: GraphFragment = { nodes: [], edges: [], warnings: [], aliases: [], marks: [] };
  const result = importer.parse(input, { options, now });
  const add = (f: GraphFragment) => {
    merged.nodes.push(...f.nodes);
    merged.edges.push(...f.edges);
    merged.warnings.push(...f.warnings);
    merged.aliases!.push(...(f.aliases ?? []));
    merged.marks!.push(...(f.marks ?? []));
  };
  if (Symbol.asyncIterator in result) for await (const f of result) add(f);
  else if (Symbol.iterator in result) for (const f of result) add(f);
  else add(await result);
  return merged;
}
