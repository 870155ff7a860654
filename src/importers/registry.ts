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

function describeStart(head: string): string {
  const first = head.trimStart().slice(0, 40).replace(/\s+/g, ' ');
  return first ? ` (it starts with ${JSON.stringify(first)})` : '';
}
