// Mutations of real samples, one class at a time (the classes the README counts): fast-check generates the plan (seed,
// class, forced format, payloads) from its own seed, so a run is reproducible from (seed, index), and materialise()
// turns a plan into the bytes of one file.
import fc from 'fast-check';
import { gzipSync } from 'node:zlib';
import { IMPORTERS } from '../../src/importers/index.js';
import type { Seed } from './seeds.js';

export const CLASSES = [
  'byte-flip',
  'truncate',
  'key-removal',
  'type-swap',
  'huge-number',
  'huge-string',
  'deep-nesting',
  'unicode',
  'bom-crlf',
  'gzip-garbage',
  'compression-bomb',
  'stacked',
] as const;
export type MutationClass = (typeof CLASSES)[number];

/** Relative weights: bombs cost up to 100 MiB of inflating each, so they are drawn less often. */
const WEIGHTS: Record<MutationClass, number> = {
  'byte-flip': 10,
  truncate: 8,
  'key-removal': 10,
  'type-swap': 12,
  'huge-number': 8,
  'huge-string': 5,
  'deep-nesting': 6,
  unicode: 8,
  'bom-crlf': 5,
  'gzip-garbage': 4,
  'compression-bomb': 1,
  stacked: 10,
};

export interface Plan {
  seed: number;
  cls: MutationClass;
  /** undefined: detect; 'own': the seed's format; else a format of the registry. */
  force: 'own' | number | undefined;
  rnd: number;
  unicode: string;
  json: unknown;
  number: string;
  depth: number;
  length: number;
}

export interface FuzzInput {
  cls: MutationClass;
  seed: string;
  name: string;
  bytes: Buffer;
  /** A format forced with --format, when not detected. */
  format?: string | undefined;
}

const WILDCARDS = `${'*a'.repeat(24)}*b`;
const NUMBERS = ['1e16', '-1e16', '1e308', '-1e308', '1e400', '-1e400', '99999999999999999999999', '9007199254740993', '-0', '0.1e-400', '1.7976931348623157e309', '253402300800000', '-62135596800001'];

export function planArbitrary(seedCount: number): fc.Arbitrary<Plan> {
  return fc.record({
    seed: fc.nat({ max: seedCount - 1 }),
    cls: fc.oneof(...CLASSES.map((cls) => ({ arbitrary: fc.constant(cls), weight: WEIGHTS[cls] }))),
    force: fc.oneof({ arbitrary: fc.constant(undefined), weight: 6 }, { arbitrary: fc.constant('own' as const), weight: 3 }, { arbitrary: fc.nat({ max: IMPORTERS.length - 1 }), weight: 1 }),
    rnd: fc.nat(),
    unicode: fc.oneof(fc.string({ unit: 'binary', minLength: 1, maxLength: 12 }), fc.constantFrom('\u202e', '\ud800', '\udfff', '\u0000', '\ufeff', '\u200b', 'e\u0301', '\u{1f600}', '\uffff', '\u2028')),
    json: fc.jsonValue({ maxDepth: 2 }),
    number: fc.oneof(fc.constantFrom(...NUMBERS), fc.double().map((d) => (Number.isFinite(d) ? String(d) : '1e999'))),
    depth: fc.oneof(fc.integer({ min: 150, max: 260 }), fc.integer({ min: 1_000, max: 120_000 })),
    length: fc.oneof(fc.integer({ min: 5_000, max: 100_000 }), fc.integer({ min: 100_000, max: 1_500_000 })),
  });
}

/** A small deterministic generator for the choices a mutation makes inside its seed (positions, keys). */
class Rng {
  constructor(private state: number) {
    this.state = state >>> 0 || 0x9e3779b9;
  }
  next(): number {
    // mulberry32
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  pick<T>(list: readonly T[]): T {
    return list[this.int(list.length)]!;
  }
}

export function materialise(plan: Plan, seeds: Seed[]): FuzzInput {
  const seed = seeds[plan.seed]!;
  const rng = new Rng(plan.rnd);
  const format = plan.force === undefined ? undefined : plan.force === 'own' ? seed.format : IMPORTERS[plan.force]!.format;
  let name = seed.name;
  let bytes: Buffer;
  if (plan.cls === 'stacked') {
    let current = seed.bytes;
    const steps = 2 + rng.int(2);
    for (let i = 0; i < steps; i++) {
      const cls = rng.pick(CLASSES.filter((c) => c !== 'stacked' && c !== 'compression-bomb' && c !== 'gzip-garbage'));
      current = mutate(cls, current, seed, plan, rng);
    }
    bytes = current;
  } else bytes = mutate(plan.cls, seed.bytes, seed, plan, rng);
  if (plan.cls === 'gzip-garbage' || plan.cls === 'compression-bomb') name += '.gz';
  return { cls: plan.cls, seed: seed.path, name, bytes, format };
}

function mutate(cls: MutationClass, bytes: Buffer, seed: Seed, plan: Plan, rng: Rng): Buffer {
  switch (cls) {
    case 'byte-flip': {
      const out = Buffer.from(bytes);
      const flips = 1 + rng.int(8);
      for (let i = 0; i < flips && out.length; i++) out[rng.int(out.length)] = rng.pick([0x00, 0x22, 0x5b, 0x5d, 0x7b, 0x7d, 0x2c, 0x3a, 0x0a, 0x5c, 0xff, 0xc3, rng.int(256)]);
      return out;
    }
    case 'truncate':
      return bytes.subarray(0, Math.max(1, rng.int(bytes.length)));
    case 'bom-crlf': {
      const text = bytes.toString('utf8');
      const variant = rng.int(4);
      if (variant === 0) return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), bytes]);
      if (variant === 1) return Buffer.from(text.replace(/\r?\n/g, '\r\n'));
      if (variant === 2) return Buffer.from(text.replace(/\r?\n/g, '\r'));
      return Buffer.from('\ufeff' + text.replace(/\n/g, () => (rng.int(2) ? '\r\n' : '\n')));
    }
    case 'gzip-garbage': {
      const variant = rng.int(3);
      if (variant === 0) return Buffer.concat([Buffer.from([0x1f, 0x8b, 8, 0]), randomBytes(rng, 16 + rng.int(4096))]);
      const gz = gzipSync(bytes);
      if (variant === 1) return gz.subarray(0, Math.max(2, rng.int(gz.length)));
      const out = Buffer.from(gz);
      for (let i = 0; i < 1 + rng.int(6); i++) out[10 + rng.int(Math.max(1, out.length - 10))] = rng.int(256);
      return out;
    }
    case 'compression-bomb':
      return bomb(bytes, rng);
    case 'unicode':
      return editText(bytes, seed, rng, (s) => insertAt(s, rng.int(s.length + 1), plan.unicode), (v) => (typeof v === 'string' ? insertAt(v, rng.int(v.length + 1), plan.unicode) : v));
    case 'huge-string': {
      const big = rng.int(2) ? 'A'.repeat(plan.length) : Array.from({ length: Math.ceil(plan.length / 16) }, () => rng.int(1e16).toString(36)).join('').slice(0, plan.length);
      return editText(bytes, seed, rng, (s) => insertAt(s, rng.int(s.length + 1), big), (v) => (typeof v === 'string' || rng.int(3) === 0 ? big : v));
    }
    case 'huge-number':
      return editText(bytes, seed, rng, (s) => replaceToken(s, rng, plan.number), () => RAW(plan.number));
    case 'type-swap':
      // Patterns of many wildcards among the values: policy evaluation must not backtrack on them.
      return editText(bytes, seed, rng, (s) => replaceToken(s, rng, rng.pick(['[]', '{}', 'null', '42', '"x"', 'true', '- a', '[1, [2]]', WILDCARDS])), () => rng.pick([plan.json, null, 0, '', [], {}, true, [plan.json], { x: plan.json }, WILDCARDS]));
    case 'key-removal':
      return editText(bytes, seed, rng, (s) => removeLine(s, rng), REMOVE);
    case 'deep-nesting': {
      const open = rng.int(2) ? '[' : '{"a":';
      const deep = open.repeat(plan.depth) + '1' + (open === '[' ? ']' : '}').repeat(plan.depth);
      if (seed.shape === 'yaml' || seed.shape === 'text') return Buffer.from(insertLine(bytes.toString('utf8'), rng, yamlNesting(rng, plan.depth)));
      return editText(bytes, seed, rng, (s) => insertAt(s, rng.int(s.length + 1), deep), () => RAW(deep));
    }
    case 'stacked':
      return bytes;
  }
}

// --- structural edits of JSON and JSON-lines; line edits of everything else ---------------------------------

const REMOVE = Symbol('remove');
const RAW_MARK = '__blastmap_fuzz_raw__';
const raws: string[] = [];
/** A value written as raw text into the JSON (numbers JSON.stringify cannot write, nesting past its depth). */
function RAW(text: string): string {
  raws.push(text);
  return `${RAW_MARK}${raws.length - 1}${RAW_MARK}`;
}

function serialise(value: unknown, pretty: boolean): string {
  const text = JSON.stringify(value, null, pretty ? 2 : undefined) ?? 'null';
  const out = text.replace(new RegExp(`"${RAW_MARK}(\\d+)${RAW_MARK}"`, 'g'), (_, i: string) => raws[Number(i)]!);
  raws.length = 0;
  return out;
}

type Edit = (value: unknown) => unknown;

function editText(bytes: Buffer, seed: Seed, rng: Rng, onText: (s: string) => string, onValue: Edit | typeof REMOVE): Buffer {
  const text = bytes.toString('utf8');
  if (seed.shape === 'json' && bytes === seed.bytes) {
    const doc = JSON.parse(text) as unknown;
    return Buffer.from(serialise(editValue(doc, rng, onValue), /\n\s/.test(text.slice(0, 200))));
  }
  if (seed.shape === 'jsonl' && bytes === seed.bytes) {
    const lines = text.split('\n');
    const candidates = lines.map((l, i) => i).filter((i) => lines[i]!.trim());
    const at = rng.pick(candidates);
    lines[at] = serialise(editValue(JSON.parse(lines[at]!) as unknown, rng, onValue), false);
    return Buffer.from(lines.join('\n'));
  }
  return Buffer.from(onText(text));
}

/** Applies the edit at a random place of the value (a key removed, or a value replaced). */
function editValue(doc: unknown, rng: Rng, edit: Edit | typeof REMOVE): unknown {
  const places: { parent: Record<string, unknown> | unknown[]; key: string | number }[] = [];
  const stack: unknown[] = [doc];
  while (stack.length && places.length < 100_000) {
    const v = stack.pop();
    if (Array.isArray(v)) {
      v.forEach((child, i) => {
        places.push({ parent: v, key: i });
        stack.push(child);
      });
    } else if (typeof v === 'object' && v !== null) {
      for (const [k, child] of Object.entries(v)) {
        places.push({ parent: v as Record<string, unknown>, key: k });
        stack.push(child);
      }
    }
  }
  if (!places.length) return edit === REMOVE ? {} : edit(doc);
  const { parent, key } = rng.pick(places);
  if (edit === REMOVE) {
    if (Array.isArray(parent)) parent.splice(key as number, 1);
    else delete parent[key as string];
  } else if (Array.isArray(parent)) parent[key as number] = edit(parent[key as number]);
  else parent[key as string] = edit(parent[key as string]);
  return doc;
}

function insertAt(s: string, at: number, what: string): string {
  return s.slice(0, at) + what + s.slice(at);
}

function replaceToken(s: string, rng: Rng, what: string): string {
  const tokens = [...s.matchAll(/[\w.+-]+/g)];
  if (!tokens.length) return what + s;
  const m = rng.pick(tokens);
  return s.slice(0, m.index) + what + s.slice(m.index! + m[0].length);
}

function removeLine(s: string, rng: Rng): string {
  const lines = s.split('\n');
  lines.splice(rng.int(lines.length), 1);
  return lines.join('\n');
}

function insertLine(s: string, rng: Rng, what: string): string {
  const lines = s.split('\n');
  lines.splice(rng.int(lines.length + 1), 0, what);
  return lines.join('\n');
}

function yamlNesting(rng: Rng, depth: number): string {
  const variant = rng.int(3);
  if (variant === 0) return 'deep: ' + '['.repeat(depth) + ']'.repeat(depth);
  if (variant === 1) return 'deep:\n  ' + '- '.repeat(depth) + 'x';
  // Past a few hundred levels block nesting only adds indentation (quadratic text), not news.
  return 'deep:\n' + Array.from({ length: Math.min(depth, 400) }, (_, i) => ' '.repeat(i + 1) + 'k:').join('\n') + ' v';
}

function randomBytes(rng: Rng, n: number): Buffer {
  const out = Buffer.alloc(n);
  for (let i = 0; i < n; i++) out[i] = rng.int(256);
  return out;
}

// --- compression bombs -------------------------------------------------------------------------------------

let honest: Buffer | undefined;
let mebibyte: Buffer | undefined;

/**
 * The seed's first 4 KiB (so that it is detected as what it was), then spaces: one honest member of 40 MiB (refused
 * from its trailer), or 64 to 1024 members of 1 MiB each, whose trailers each tell a modest size (refused as the
 * output passes the cap).
 */
function bomb(bytes: Buffer, rng: Rng): Buffer {
  const head = gzipSync(bytes.subarray(0, 4096));
  if (rng.int(2) === 0) {
    honest ??= gzipSync(Buffer.alloc(40 * 1024 * 1024, 0x20), { level: 1 });
    return Buffer.concat([head, honest]);
  }
  mebibyte ??= gzipSync(Buffer.alloc(1024 * 1024, 0x20), { level: 9 });
  const members = rng.pick([64, 64, 256, 1024]);
  return Buffer.concat([head, ...Array.from({ length: members }, () => mebibyte!)]);
}
