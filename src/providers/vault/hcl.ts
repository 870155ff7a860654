// A reader for the part of HCL 1 that Vault policies use: `path "<glob>" { capabilities = [...] … }` blocks,
// attributes, lists, nested blocks and comments. Vault parses policies with HCL 1, which allows the opening
// brace on the next line; the HCL parsers on npm are HCL 2 only (they refuse that layout) or a GopherJS build
// that writes to globals, hence this small reader.

export type HclValue = string | number | boolean | HclValue[] | HclBody;
export interface HclBlock {
  type: string;
  labels: string[];
  body: HclBody;
  line: number;
}
export interface HclBody {
  attributes: Record<string, HclValue>;
  blocks: HclBlock[];
}

export class HclSyntaxError extends Error {
  constructor(
    message: string,
    readonly line: number,
    readonly column: number,
  ) {
    super(`${message} at line ${line}, column ${column}`);
  }
}

type Token = { type: 'ident' | 'string' | 'number' | 'punct'; text: string; line: number; column: number };

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  let line = 1;
  let lineStart = 0;
  const fail = (message: string): never => {
    throw new HclSyntaxError(message, line, i - lineStart + 1);
  };
  while (i < text.length) {
    const c = text[i]!;
    if (c === '\n') {
      line++;
      lineStart = ++i;
    } else if (c === ' ' || c === '\t' || c === '\r') i++;
    else if (c === '#' || (c === '/' && text[i + 1] === '/')) {
      while (i < text.length && text[i] !== '\n') i++;
    } else if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      if (end < 0) fail('unterminated comment');
      for (let j = i; j < end; j++) {
        if (text[j] === '\n') {
          line++;
          lineStart = j + 1;
        }
      }
      i = end + 2;
    } else if (c === '"') {
      const column = i - lineStart + 1;
      let value = '';
      i++;
      while (i < text.length && text[i] !== '"') {
        if (text[i] === '\n') fail('unterminated string');
        if (text[i] === '\\') {
          const next = text[i + 1];
          value += next === 'n' ? '\n' : next === 't' ? '\t' : (next ?? '');
          i += 2;
        } else value += text[i++];
      }
      if (i >= text.length) fail('unterminated string');
      i++;
      tokens.push({ type: 'string', text: value, line, column });
    } else if ('{}[]=,'.includes(c)) {
      tokens.push({ type: 'punct', text: c, line, column: i - lineStart + 1 });
      i++;
    } else if (/[A-Za-z_]/.test(c)) {
      const start = i;
      while (i < text.length && /[\w.-]/.test(text[i]!)) i++;
      tokens.push({ type: 'ident', text: text.slice(start, i), line, column: start - lineStart + 1 });
    } else if (/[0-9-]/.test(c)) {
      const start = i;
      // The first character is taken as it is: a '-' alone must not stop the reader where it stands.
      i++;
      while (i < text.length && /[\w.]/.test(text[i]!)) i++;
      tokens.push({ type: 'number', text: text.slice(start, i), line, column: start - lineStart + 1 });
    } else fail(`unexpected character ${JSON.stringify(c)}`);
  }
  return tokens;
}

/** Parses HCL 1 text into attributes and blocks; errors name the line and column. */
export function parseHcl(text: string): HclBody {
  const tokens = tokenize(text);
  let pos = 0;
  const peek = () => tokens[pos];
  const fail = (message: string, token = peek()): never => {
    const last = tokens[tokens.length - 1];
    throw new HclSyntaxError(message, token?.line ?? last?.line ?? 1, token?.column ?? (last ? last.column + last.text.length : 1));
  };
  const expect = (text: string) => {
    const t = peek();
    if (t?.type !== 'punct' || t.text !== text) fail(t ? `expected "${text}" but found ${JSON.stringify(t.text)}` : `expected "${text}" but the file ended`);
    pos++;
  };

  const value = (): HclValue => {
    const t = peek() ?? fail('expected a value but the file ended');
    pos++;
    if (t.type === 'string') return t.text;
    if (t.type === 'number') {
      const n = Number(t.text);
      return Number.isNaN(n) ? t.text : n; // durations such as 1h stay strings
    }
    if (t.type === 'ident') return t.text === 'true' ? true : t.text === 'false' ? false : t.text;
    if (t.text === '[') {
      const list: HclValue[] = [];
      while (peek()?.text !== ']' || peek()?.type !== 'punct') {
        list.push(value());
        if (peek()?.type === 'punct' && peek()?.text === ',') pos++;
        else if (peek()?.text !== ']') fail('expected "," or "]" in a list');
      }
      pos++;
      return list;
    }
    if (t.text === '{') {
      const inner = body(true);
      expect('}');
      return inner;
    }
    return fail(`unexpected ${JSON.stringify(t.text)}`, t);
  };

  const body = (nested: boolean): HclBody => {
    const out: HclBody = { attributes: {}, blocks: [] };
    for (;;) {
      const t = peek();
      if (!t) {
        if (nested) fail('expected "}" but the file ended');
        return out;
      }
      if (t.type === 'punct' && t.text === '}' && nested) return out;
      if (t.type !== 'ident' && t.type !== 'string') fail(`expected a name but found ${JSON.stringify(t.text)}`);
      pos++;
      const labels: string[] = [];
      for (let label = peek(); label?.type === 'string'; label = peek()) {
        labels.push(label.text);
        pos++;
      }
      const next = peek();
      if (next?.type === 'punct' && next.text === '=' && labels.length === 0) {
        pos++;
        out.attributes[t.text] = value();
      } else if (next?.type === 'punct' && next.text === '{') {
        pos++;
        out.blocks.push({ type: t.text, labels, body: body(true), line: t.line });
        expect('}');
      } else fail(next ? `expected "=" or "{" after ${JSON.stringify(t.text)}` : `expected "=" or "{" after ${JSON.stringify(t.text)} but the file ended`);
    }
  };
  return body(false);
}
