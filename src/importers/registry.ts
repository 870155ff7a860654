import { ImportError } from './errors.js';
import { IMPORTERS } from './index.js';
import { probeOf } from './input.js';
import { HELM_MESSAGE, helmTemplateLine } from './templates.js';
import type { ImportInput, Importer } from './types.js';

export function findImporter(format: string): Importer | undefined {
  return IMPORTERS.find((imp) => imp.format === format);
}

/** Picks the importer for a file from its content; the file name only breaks no ties. */
export function detectImporter(input: ImportInput, forced?: string): Importer {
  return detectFormat(input, forced).importer;
}

/** An importer for a file, and a note when the choice was a guess the user should know about. */
export interface Detected {
  importer: Importer;
  note?: string;
}

/**
 * Formats whose tool writes an empty document for a clean run (gitleaks `[]`, older gitleaks `null`; trufflehog
 * saved as a JSON array `[]`), in order of preference when nothing else tells them apart.
 */
const EMPTY_REPORT_FORMATS = ['gitleaks', 'trufflehog'] as const;

/** `[]` or `null`: a document that holds nothing, and so says nothing of its format. */
export function isEmptyDocument(input: ImportInput): boolean {
  // The head is the whole file when the file is this small; a bigger file is never read whole to ask.
  if (input.head.length > 64) return false;
  return /^(\[\s*\]|null)$/.test(input.head.toString('utf8').replace(/^\uFEFF/, '').trim());
}

/**
 * Detection with the other files of the same import as context: an empty document (`[]`, `null`) is a clean
 * report of the scanner format the other files are (when they are one), of the scanner its name says, else an
 * empty gitleaks report — which is what `null` always is — with a note.
 */
export function detectFormat(input: ImportInput, forced?: string, siblingFormats: readonly string[] = []): Detected {
  if (forced) {
    const imp = findImporter(forced);
    if (!imp) throw new ImportError(input.fileName, `unknown format '${forced}' (see 'blastmap formats')`);
    return { importer: imp };
  }
  if (isEmptyDocument(input)) return emptyReport(input, siblingFormats);
  return { importer: byContent(input) };
}

function emptyReport(input: ImportInput, siblingFormats: readonly string[]): Detected {
  const text = input.text().trim();
  const scanners = [...new Set(siblingFormats.filter((f) => (EMPTY_REPORT_FORMATS as readonly string[]).includes(f)))];
  const named = EMPTY_REPORT_FORMATS.find((f) => input.fileName.toLowerCase().includes(f === 'trufflehog' ? 'truffle' : f));
  const format = text === 'null' ? 'gitleaks' : scanners.length === 1 ? scanners[0]! : (named ?? 'gitleaks');
  const guessed = text !== 'null' && scanners.length !== 1 && !named;
  return {
    importer: findImporter(format)!,
    ...(guessed ? { note: `the file holds only ${text}: read as an empty secret-scanner report (gitleaks writes [] for a clean scan); it adds nothing to the case` } : {}),
  };
}

function byContent(input: ImportInput): Importer {
  const probe = probeOf(input);
  const scored = IMPORTERS.map((imp) => ({ imp, score: imp.detect(probe) }))
    .filter((s) => s.score > 0)
    .sort((a, b) => b.score - a.score);
  const best = scored[0];
  if (!best) {
    const helm = helmTemplateLine(probe.head);
    if (helm !== undefined) throw new ImportError(input.fileName, HELM_MESSAGE, `line ${helm}`);
    const lines = looksJsonLines(probe.head) ? `; it is JSON-lines (one JSON value per line), which Blastmap reads from ${jsonLinesFormats()}` : '';
    throw new ImportError(input.fileName, `not a format Blastmap recognises${describeStart(probe.head)}${lines}; run 'blastmap formats' for the list`);
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

/** The formats that may be JSON-lines, in words: "a, b and c". */
export function jsonLinesFormats(): string {
  const names = IMPORTERS.filter((i) => i.jsonLines).map((i) => i.format);
  return names.length > 1 ? `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}` : (names[0] ?? 'no format');
}

/** Two or more lines that each start a JSON object or array. */
function looksJsonLines(head: string): boolean {
  const lines = head.split('\n').map((l) => l.trim()).filter(Boolean);
  if (lines.length < 2 || !lines.slice(0, 2).every((l) => l.startsWith('{') || l.startsWith('['))) return false;
  try {
    JSON.parse(lines[0]!);
    return true;
  } catch {
    return false;
  }
}
