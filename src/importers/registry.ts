import { ImportError } from './errors.js';
import { IMPORTERS } from './index.js';
import { probeOf } from './input.js';
import type { ImportInput, Importer } from './types.js';

export function findImporter(format: string): Importer | undefined {
  return IMPORTERS.find((imp) => imp.format === format);
}

/** Picks the importer for a file from its content; the file name only breaks no ties. */
export function detectImporter(input: ImportInput, forced?: string): Importer {
  if (forced) {
    const imp = findImporter(forced);
    if (!imp) throw new ImportError(input.fileName, `unknown format '${forced}' (see 'blastmap formats')`);
    return imp;
  }
  const probe = probeOf(input);
  const scored = IMPORTERS.map((imp) => ({ imp, score: imp.detect(probe) }))
    .filter((s) => s.score > 0)
    .sort((a, b) => b.score - a.score);
  const best = scored[0];
  if (!best) {
    throw new ImportError(input.fileName, `not a format Blastmap recognises${describeStart(probe.head)}; run 'blastmap formats' for the list`);
  }
  const second = scored[1];
  if (second && second.score === best.score) {
    throw new ImportError(input.fileName, `the content fits both '${best.imp.format}' and '${second.imp.format}'; pass --format to choose`);
  }
  return best.imp;
}

/**
 * What the file looks like, in words. Never its text: the first line of a headerless CSV from a secret scanner is a
 * secret, and error messages end up in terminals, logs and tickets.
 */
export function describeStart(head: string): string {
  const t = head.trimStart();
  if (!t) return ' (it holds only whitespace)';
  if (t.startsWith('{')) return ' (it is a JSON object with none of the members a known format has)';
  if (t.startsWith('[')) return ' (it is a JSON array whose elements no known format has)';
  const firstLine = t.slice(0, t.indexOf('\n') === -1 ? t.length : t.indexOf('\n'));
  if (/^(apiVersion|kind|[\w.-]+):(\s|$)/m.test(t.slice(0, 4096)) || t.startsWith('---')) return ' (it looks like YAML, of no known format)';
  const commas = (firstLine.match(/,/g) ?? []).length;
  if (commas >= 2) return ` (it looks like comma-separated values, ${commas + 1} columns, without a header a known format has)`;
  return ' (it is text of no known format)';
}
