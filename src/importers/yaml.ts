// YAML within limits. The yaml library recurses while it composes, and a few thousand nested levels make it
// exhaust the stack or, worse, memory (it builds patterns as long as the indentation): nesting is measured first by
// a linear scan of the text, before the library sees it. Aliases are the other way to nest (or to expand
// exponentially, or to loop): what a document expands to is bounded too.
import { parseAllDocuments, type Document } from 'yaml';
import { ImportError } from './errors.js';
import { DEFAULT_LIMITS, type InputLimits } from './limits.js';

/** Aliases a document may expand (yaml's own guard against "billion laughs"). */
export const MAX_ALIAS_COUNT = 100;

/**
 * An upper bound of the nesting of a YAML text, line by line: block levels from indentation (and "- - " compact
 * sequences), flow levels from brackets outside quotes and comments; block scalars (| and >) are skipped. Returns the
 * 1-based line where the bound first passes `max`, or 0.
 */
export function yamlTooDeepAt(text: string, max: number): number {
  const indents: number[] = [];
  let flow = 0;
  let quote: '' | "'" | '"' = '';
  let blockScalar = -1;
  let line = 0;
  let start = 0;
  while (start <= text.length) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = text.length;
    line++;
    const row = text.slice(start, end);
    start = end + 1;
    let indent = 0;
    while (indent < row.length && row.charCodeAt(indent) === 0x20) indent++;
    const blank = indent === row.length || /^\s*$/.test(row);
    if (blockScalar >= 0) {
      if (blank || indent > blockScalar) continue;
      blockScalar = -1;
    }
    if (blank && !quote) continue;
    if (!quote && flow === 0 && (row.startsWith('---') || row.startsWith('...'))) {
      indents.length = 0;
      continue;
    }
    if (!quote && row.charCodeAt(indent) === 0x23) continue;
    if (flow === 0) {
      // Block levels: this line's indentation, and one more per "- " that opens a sequence inside a sequence.
      // Counted even inside a quoted scalar: its lines would have to indent further and further to pass the limit.
      let col = indent;
      for (;;) {
        while (indents.length && indents[indents.length - 1]! >= col) indents.pop();
        indents.push(col);
        if (quote || row.charCodeAt(col) !== 0x2d || (col + 1 < row.length && row.charCodeAt(col + 1) !== 0x20)) break;
        col += 1;
        while (col < row.length && row.charCodeAt(col) === 0x20) col++;
        if (col >= row.length) break;
      }
    }
    // Flow levels and quotes, carried across lines (flow collections and quoted scalars may span several).
    for (let i: number = quote ? 0 : indent; i < row.length; i++) {
      const c: string = row[i]!;
      if (quote) {
        if (quote === '"' && c === '\\') i++;
        else if (c === quote) {
          if (quote === "'" && row[i + 1] === "'") i++;
          else quote = '';
        }
        continue;
      }
      if (c === '#' && (i === 0 || row[i - 1] === ' ' || row[i - 1] === '\t')) break;
      if (c !== '"' && c !== "'" && c !== '[' && c !== '{' && c !== ']' && c !== '}') continue;
      if ((c === ']' || c === '}') && flow > 0) flow--;
      else if (flow > 0 || startsScalar(row, i, indent)) {
        if (c === '"' || c === "'") quote = c;
        else if (c === '[' || c === '{') flow++;
      }
      if (indents.length + flow > max) return line;
    }
    if (indents.length + flow > max) return line;
    if (!quote && flow === 0 && /(^|[\s:-])[|>][-+0-9]*\s*(#.*)?$/.test(row.slice(indent))) blockScalar = indent;
  }
  return 0;
}

/**
 * Whether position i starts a scalar or a collection (a quote or bracket there is syntax, not text of a plain scalar):
 * the line's content starts there, or what precedes it (spaces skipped) is an indicator, a tag or an anchor.
 */
function startsScalar(row: string, i: number, indent: number): boolean {
  let j = i - 1;
  while (j >= indent && (row[j] === ' ' || row[j] === '\t')) j--;
  if (j < indent) return true;
  if (':[{,-?'.includes(row[j]!)) return true;
  let k = j;
  while (k >= indent && row[k] !== ' ' && row[k] !== '\t') k--;
  return row[k + 1] === '!' || row[k + 1] === '&';
}

/** Refuses a YAML text nested deeper than the limit, naming the line. */
export function checkYamlNesting(fileName: string, text: string, limits: Pick<InputLimits, 'maxDepth'> = DEFAULT_LIMITS): void {
  const line = yamlTooDeepAt(text, limits.maxDepth);
  if (line) throw new ImportError(fileName, `invalid YAML: nested deeper than ${limits.maxDepth} levels`, `line ${line}`);
}

/** parseAllDocuments after the nesting check. */
export function parseYamlDocuments(fileName: string, text: string, limits: Pick<InputLimits, 'maxDepth'> = DEFAULT_LIMITS): Document.Parsed[] {
  checkYamlNesting(fileName, text, limits);
  // The YAML library's own warnings would reach the user's terminal: what matters is reported as an ImportError.
  return parseAllDocuments(text, { logLevel: 'error' }) as Document.Parsed[];
}

/**
 * A document's value, with aliases expanded under yaml's alias-count guard, refused when the expansion nests past the
 * limit (an alias that contains itself nests forever).
 */
export function yamlDocumentToJs(fileName: string, doc: Document, where: string, limits: Pick<InputLimits, 'maxDepth'> = DEFAULT_LIMITS): unknown {
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (err) {
    if (err instanceof ImportError) throw err;
    throw new ImportError(fileName, 'invalid YAML: its aliases expand too much (an alias bomb?) or cannot be resolved', where);
  }
  if (nestsDeeper(value, limits.maxDepth)) throw new ImportError(fileName, `invalid YAML: nested deeper than ${limits.maxDepth} levels once aliases are expanded (or an alias contains itself)`, where);
  return value;
}

/** Whether a value nests deeper than `max` (iterative; a cycle counts as infinitely deep). */
export function nestsDeeper(value: unknown, max: number): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  let visits = 0;
  while (stack.length) {
    const [v, depth] = stack.pop()!;
    if (typeof v !== 'object' || v === null) continue;
    if (depth >= max || ++visits > 10_000_000) return true;
    const children = Array.isArray(v) ? v : v instanceof Map ? [...v.values()] : Object.values(v);
    for (const child of children) if (typeof child === 'object' && child !== null) stack.push([child, depth + 1]);
  }
  return false;
}

/** A walk over a YAML tree that follows aliases by hand (CloudFormation tags): bounded in depth and in nodes. */
export class YamlWalkBudget {
  private nodes = 0;
  constructor(
    private readonly fileName: string,
    private readonly maxNodes: number,
    private readonly maxDepth: number = DEFAULT_LIMITS.maxDepth,
  ) {}

  step(depth: number): void {
    if (depth > this.maxDepth) throw new ImportError(this.fileName, `invalid YAML: nested deeper than ${this.maxDepth} levels once aliases are expanded (or an alias contains itself)`);
    if (++this.nodes > this.maxNodes) throw new ImportError(this.fileName, 'invalid YAML: its aliases expand to far more than the text holds (an alias bomb?)');
  }
}
