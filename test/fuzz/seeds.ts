// The fuzz corpus: every fixture of the repository, each with the importer that detects it. Importers come from the
// registry, so an importer added with fixtures is fuzzed without touching the harness.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { IMPORTERS } from '../../src/importers/index.js';
import { createInput } from '../../src/importers/input.js';
import { detectImporter } from '../../src/importers/registry.js';

/** test/fixtures (not through test/helpers.ts: this also runs outside vitest, in the fuzz workers). */
export const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures');

export type SeedShape = 'json' | 'jsonl' | 'yaml' | 'text';

export interface Seed {
  /** Path under test/fixtures. */
  path: string;
  name: string;
  bytes: Buffer;
  /** The format it is detected as (undefined: no importer claims it as it is). */
  format: string | undefined;
  shape: SeedShape;
}

/** Directories of fixtures that are not seeds: the fuzzer's own findings are replayed by their own test. */
const NOT_SEEDS = new Set(['fuzz-crashers']);

function* files(dir: string): Iterable<string> {
  for (const name of readdirSync(dir).sort()) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) {
      if (!NOT_SEEDS.has(name)) yield* files(full);
    } else if (!/\.md$/i.test(name)) yield full;
  }
}

function shapeOf(text: string): SeedShape {
  try {
    JSON.parse(text);
    return 'json';
  } catch {
    // not one JSON document
  }
  const lines = text.split('\n').filter((l) => l.trim());
  if (lines.length > 1 && lines.every((l) => isJson(l))) return 'jsonl';
  if (/^(apiVersion|AWSTemplateFormatVersion|Resources|kind)\s*:/m.test(text) || /^---/m.test(text)) return 'yaml';
  return 'text';
}

function isJson(s: string): boolean {
  try {
    JSON.parse(s);
    return true;
  } catch {
    return false;
  }
}

let cached: Seed[] | undefined;

export function loadSeeds(): Seed[] {
  if (cached) return cached;
  cached = [];
  for (const full of files(FIXTURES)) {
    const bytes = readFileSync(full);
    const name = basename(full);
    let format: string | undefined;
    try {
      format = detectImporter(createInput(name, bytes)).format;
    } catch {
      format = undefined;
    }
    cached.push({ path: relative(FIXTURES, full), name, bytes, format, shape: shapeOf(bytes.toString('utf8')) });
  }
  return cached;
}

/** Every importer of the registry with the seeds detected as it (importers without any are still fuzzed: forced). */
export function seedsByImporter(): Map<string, Seed[]> {
  const by = new Map<string, Seed[]>(IMPORTERS.map((i) => [i.format, []]));
  for (const seed of loadSeeds()) if (seed.format) by.get(seed.format)?.push(seed);
  return by;
}
