// Bad values once leaked the JavaScript engine's own words ("Invalid time value", "undefined is not …") and quoted
// file content: each is now an error or warning in words, with the file and the place.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createInput } from '../../src/importers/input.js';
import { detectImporter } from '../../src/importers/registry.js';
import { cli, FIXTURES, REAL, tempCase, tempDir } from '../helpers.js';

const ENGINE = /Invalid time value|Maximum call stack|undefined is not|is not a function|Cannot read properties|is not iterable|Unexpected token|in JSON at position/;

async function importOne(name: string, text: string, ...extra: string[]) {
  const dir = tempDir();
  writeFileSync(join(dir, name), text);
  const r = await cli('import', join(dir, name), '--case', tempCase(), '--json', ...extra);
  return { ...r, json: JSON.parse(r.out) as { error?: { code: string; message: string; location?: string }; warnings?: { message: string; location?: string }[] } };
}

describe('no engine message reaches the user', () => {
  it('a CloudTrail eventTime of 1e16 (past what a Date holds) skips the record with its place', async () => {
    const record = JSON.parse(readFileSync(join(FIXTURES, 'cloudtrail', 'c7n-single-record-runinstances-iamuser.json'), 'utf8')) as Record<string, unknown>;
    const r = await importOne('ct.json', JSON.stringify({ Records: [{ ...record, eventTime: 1e16 }, record] }));
    expect(r.code).toBe(0);
    expect(r.out).not.toMatch(ENGINE);
    expect(r.json.warnings).toEqual(expect.arrayContaining([expect.objectContaining({ location: expect.stringContaining('$.Records[0]') })]));
  });

  it('a SharpHound time past what a Date holds is "not collected", not an engine error', async () => {
    const users = JSON.parse(readFileSync(join(REAL, 'bloodhound', 'bhce-ad-sample-phantom-corp-users.json'), 'utf8')) as { data: { Properties: Record<string, unknown> }[] };
    users.data[0]!.Properties['lastlogontimestamp'] = 1e16;
    users.data[1]!.Properties['whencreated'] = 1e300;
    const r = await importOne('users.json', JSON.stringify(users));
    expect(r.err).not.toMatch(ENGINE);
    expect(r.code).toBe(0);
  });

  it('a list-access-keys entry without AccessKeyId says so, with its place', async () => {
    const r = await importOne('keys.json', JSON.stringify({ AccessKeyMetadata: [{ UserName: 'ci', Status: 'Active', CreateDate: '2024-01-01T00:00:00Z' }] }), '--account', '123456789012');
    expect(r.code).toBe(1);
    expect(r.json.error).toMatchObject({ code: 'bad-input', location: '$.AccessKeyMetadata[0].AccessKeyId' });
    expect(r.json.error!.message).toBe('keys.json ($.AccessKeyMetadata[0].AccessKeyId): the entry has no AccessKeyId');
  });

  it('"not a format" describes the file and never quotes it: a headerless gitleaks CSV starts with its secret', () => {
    const csv = readFileSync(join(FIXTURES, 'secret-scanners', 'gitleaks-upstream-csv-simple.csv'), 'utf8').split('\n').slice(1).join('\n');
    const secretish = 'ghp_0123456789abcdefghijklmnopqrstuvwxyzAB';
    const text = `${secretish},${csv}`;
    let message = '';
    try {
      detectImporter(createInput('leaks.csv', Buffer.from(text)));
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toMatch(/^leaks\.csv: not a format Blastmap recognises \(it looks like comma-separated values, \d+ columns, without a header a known format has\)/);
    expect(message).not.toContain('ghp_');
    expect(message).not.toContain('test-rule');
    for (const [text, words] of [
      ['{"hello": "world"}', 'a JSON object with none of the members a known format has'],
      ['[1, 2]', 'a JSON array whose elements no known format has'],
      ['just some words', 'text of no known format'],
      ['key: value\nother: 1\n', 'it looks like YAML, of no known format'],
    ] as const) {
      let m = '';
      try {
        detectImporter(createInput('x.txt', Buffer.from(text)));
      } catch (err) {
        m = (err as Error).message;
      }
      expect(m).toContain(words);
      expect(m).not.toContain(text.slice(0, 8));
    }
  });
});
