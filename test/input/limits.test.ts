import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { ImportError } from '../../src/importers/errors.js';
import { createInput, openInput } from '../../src/importers/input.js';
import { DEFAULT_LIMITS, type InputLimits } from '../../src/importers/limits.js';
import { yamlTooDeepAt } from '../../src/importers/yaml.js';
import { cli, ROOT, tempCase, tempDir } from '../helpers.js';
import { gzipBomb, multiMemberBomb } from './bombs.js';

const limits = (over: Partial<InputLimits>): InputLimits => ({ ...DEFAULT_LIMITS, ...over });

function thrown(fn: () => unknown): Error {
  try {
    fn();
  } catch (err) {
    return err as Error;
  }
  throw new Error('nothing was thrown');
}

/** The CLI in a child process: its answer and its peak RSS. */
function cliMeasured(...args: string[]): { code: number; out: string; err: string; peakRssMb: number } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'test', 'input', 'cli-rss.ts'), ...args], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
  const last = r.stdout.trim().split('\n').pop()!;
  return JSON.parse(last) as { code: number; out: string; err: string; peakRssMb: number };
}

const CLOUDTRAIL_START = '{"Records": [{"eventVersion": "1.08", "userIdentity": {"type": "Root"}, "eventSource": "s3.amazonaws.com"}, ';

describe('gzip limits', () => {
  it('refuses a 1 GiB bomb from its trailer, before decompressing anything', async () => {
    const bomb = await gzipBomb(1024);
    expect(bomb.length).toBeLessThan(1.2 * 1024 * 1024);
    const started = performance.now();
    const err = thrown(() => createInput('bomb.json.gz', bomb));
    expect(err).toBeInstanceOf(ImportError);
    expect(err.message).toBe('bomb.json.gz: refused: its gzip trailer says 1 MiB decompresses to 1 GiB (over 100:1): a decompression bomb, or a damaged file');
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('refuses a bomb whose trailers lie (many members, or a false size) as the output passes the cap', async () => {
    const lying = await gzipBomb(256, { statedSize: 1000 });
    expect(thrown(() => createInput('lying.json.gz', lying)).message).toMatch(/decompression bomb/);
    expect(thrown(() => createInput('members.json.gz', multiMemberBomb(16, 16))).message).toMatch(/decompression bomb/);
  });

  it('keeps the CLI flat: a 1 GiB bomb of many members is refused with bad-input, the process staying far below the bomb size', async () => {
    const dir = tempDir();
    const file = join(dir, 'CloudTrail_bomb.json.gz');
    writeFileSync(file, multiMemberBomb(64, 16, CLOUDTRAIL_START));
    const r = cliMeasured('import', file, '--case', join(dir, 'c.blastmap'), '--json');
    expect(r.code).toBe(1);
    const error = (JSON.parse(r.out) as { error: { code: string; message: string; file: string } }).error;
    expect(error.code).toBe('bad-input');
    expect(error.file).toBe('CloudTrail_bomb.json.gz');
    expect(error.message).toMatch(/decompression bomb/);
    // Before the limits, 1 MB of gzip took the CLI to 2.1 GB.
    expect(r.peakRssMb).toBeLessThan(400);
  }, 120_000);

  it('still reads real gzip files, and says what is wrong with a broken one in words', async () => {
    const records = JSON.stringify({ Records: [] });
    expect(createInput('ok.json.gz', gzipSync(records)).text()).toBe(records);
    const good = gzipSync(randomBytes(200_000).toString('hex'));
    const truncated = good.subarray(0, 3000);
    expect(thrown(() => createInput('cut.json.gz', truncated)).message).toMatch(/^cut\.json\.gz: (the file looks gzip-compressed but cannot be decompressed: the compressed data ends early \(a truncated download\?\)|refused: its gzip trailer says .* a decompression bomb, or a damaged file)$/);
    const corrupt = Buffer.from(good);
    corrupt.fill(0xff, 2000, 2100);
    expect(thrown(() => createInput('bad.json.gz', corrupt)).message).toBe('bad.json.gz: the file looks gzip-compressed but cannot be decompressed: the compressed data is corrupt');
    const dir = tempDir();
    writeFileSync(join(dir, 'ok.json.gz'), gzipSync(records));
    const input = await openInput('ok.json.gz', join(dir, 'ok.json.gz'));
    expect(input.head.toString()).toBe(records);
    expect(input.json()).toEqual({ Records: [] });
  });
});

describe('size limits', () => {
  it('refuses a file over the maximum size before reading it', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'big.json'), '[' + '1,'.repeat(1000) + '1]');
    await expect(openInput('big.json', join(dir, 'big.json'), limits({ maxFileBytes: 1000 }))).rejects.toThrow('big.json: the file is 2 KiB; Blastmap reads files up to 1000 bytes');
  });

  it('a file past the whole-read limit is refused by formats that read whole, and streams for those that stream', async () => {
    const dir = tempDir();
    const lines = Array.from({ length: 200 }, (_, i) => JSON.stringify({ n: i })).join('\n');
    writeFileSync(join(dir, 'lines.jsonl'), lines);
    const input = await openInput('lines.jsonl', join(dir, 'lines.jsonl'), limits({ maxWholeBytes: 1024 }));
    expect(thrown(() => input.text()).message).toMatch(/^lines\.jsonl: the file is 1\.8 KiB: this format is read whole, up to 1 KiB/);
    let n = 0;
    for await (const row of input.jsonLinesStream()) if ('value' in row) n++;
    expect(n).toBe(200);
    // The synchronous JSON-lines reader streams from the disk too.
    expect([...input.jsonLines()].length).toBe(200);
  });

  it('caps the length of one JSON-lines line, reporting the line by number', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'l.jsonl'), `{"a":1}\n{"b":"${'x'.repeat(5000)}"}\n{"c":3}\n`);
    const input = await openInput('l.jsonl', join(dir, 'l.jsonl'), limits({ maxLineBytes: 1000 }));
    const rows = [];
    for await (const row of input.jsonLinesStream()) rows.push(row);
    expect(rows).toEqual([{ line: 1, value: { a: 1 } }, { line: 2, error: 'the line is longer than 1000 bytes' }, { line: 3, value: { c: 3 } }]);
    expect([...createInput('l.jsonl', Buffer.from(`{"a":1}\n{"b":"${'x'.repeat(5000)}"}`), limits({ maxLineBytes: 1000 })).jsonLines()][1]).toEqual({ line: 2, error: 'the line is longer than 1000 bytes' });
  });
});

describe('nesting limits', () => {
  const deep = (n: number) => '['.repeat(n) + ']'.repeat(n);

  it('refuses JSON nested past the limit with its line and column, whatever the format, through the CLI', async () => {
    const dir = tempDir();
    const og = join(dir, 'og.json');
    writeFileSync(og, `{"graph": {"nodes": [{"id": "a", "kinds": ["User"], "properties": {"x":\n ${deep(100_000)}}}], "edges": []}}`);
    const r = await cli('import', og, '--case', tempCase(), '--json');
    expect(r.code).toBe(1);
    const error = (JSON.parse(r.out) as { error: { code: string; message: string; location: string } }).error;
    expect(error).toMatchObject({ code: 'bad-input', location: 'line 2, column 197', message: 'og.json (line 2, column 197): invalid JSON: nested deeper than 200 levels' });
    expect(r.err).not.toMatch(/Maximum call stack/);
  });

  it('a JSON-lines line nested past the limit is a bad line, reported by number like any other', () => {
    const rows = [...createInput('t.jsonl', Buffer.from(`{"a":1}\n{"b":${deep(5000)}}\n`)).jsonLines()];
    expect(rows[1]).toEqual({ line: 2, error: 'nested deeper than 200 levels (column 205)' });
  });

  it('measures YAML nesting before the YAML library sees it: block, compact and flow nesting', async () => {
    const block = 'a:\n' + Array.from({ length: 5000 }, (_, i) => ' '.repeat(i + 1) + 'b:').join('\n') + ' 1\n';
    const compact = 'a:\n  ' + '- '.repeat(5000) + 'x\n';
    const flow = 'a: ' + deep(5000) + '\n';
    expect(yamlTooDeepAt(block, 200)).toBe(201);
    expect(yamlTooDeepAt(compact, 200)).toBe(2);
    expect(yamlTooDeepAt(flow, 200)).toBe(1);
    // Brackets and quotes inside plain scalars, comments and block scalars are text, not nesting.
    const text = `a: it's [[[[ not "nesting ${'['.repeat(300)}\nb: |\n  ${'{'.repeat(300)}\n  more\nc: x # ${'['.repeat(300)}\nd: [1, [2, "]]"]]\n`;
    expect(yamlTooDeepAt(text, 200)).toBe(0);
    for (const [name, body] of [['block', block], ['compact', compact], ['flow', flow]] as const) {
      const dir = tempDir();
      const file = join(dir, `${name}.yaml`);
      writeFileSync(file, `apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\nspec:\n  ${body.replace(/\n/g, '\n  ')}`);
      const r = await cli('import', file, '--case', tempCase());
      expect(r.code, name).toBe(1);
      expect(r.err, name).toMatch(new RegExp(`^blastmap: ${name}\\.yaml \\(line \\d+\\): invalid YAML: nested deeper than 200 levels`));
    }
  }, 60_000);

  it('YAML aliases that expand exponentially or contain themselves are refused with their place (Kubernetes and CloudFormation)', async () => {
    const laughs = ['a0: &a0 [x, x, x, x, x, x, x, x, x, x]', ...Array.from({ length: 12 }, (_, i) => `a${i + 1}: &a${i + 1} [${Array(10).fill(`*a${i}`).join(', ')}]`)].join('\n');
    const k8s = `apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: sa\n  annotations:\n    ${laughs.replace(/\n/g, '\n    ')}\n`;
    const cfn = `AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Role:\n    Type: AWS::IAM::Role\n    Properties:\n      RoleName: r\n      Tags:\n        ${laughs.replace(/\n/g, '\n        ')}\n      AssumeRolePolicyDocument: {}\n`;
    const loop = `apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: sa\n  labels: &l\n    x: *l\n`;
    for (const [name, text, pattern] of [
      ['laughs.yaml', k8s, /aliases expand too much/],
      ['laughs-cfn.yaml', cfn, /aliases expand to far more than the text holds/],
      ['loop.yaml', loop, /alias contains itself|aliases expand too much/],
    ] as const) {
      const dir = tempDir();
      writeFileSync(join(dir, name), text);
      const started = performance.now();
      const r = await cli('import', join(dir, name), '--case', tempCase(), '--json');
      expect(r.code, name).toBe(1);
      const error = (JSON.parse(r.out) as { error: { code: string; message: string } }).error;
      expect(error.code, name).toBe('bad-input');
      expect(error.message, name).toMatch(pattern);
      expect(performance.now() - started, name).toBeLessThan(10_000);
    }
  }, 60_000);
});
