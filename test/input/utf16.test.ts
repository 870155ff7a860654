// Windows PowerShell 5 writes redirected output (`aws iam get-account-authorization-details > gaad.json`,
// `terraform show -json plan > plan.json`) as UTF-16 with a byte-order mark: such files import as their UTF-8 text does.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { awsGaad } from '../../src/importers/aws-gaad.js';
import { createInput, openInput } from '../../src/importers/input.js';
import { detectImporter } from '../../src/importers/registry.js';
import { terraform } from '../../src/importers/terraform.js';
import { FIXTURES, parseAll, REAL, tempDir } from '../helpers.js';

const utf16le = (text: string) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
const utf16be = (text: string) => Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(text, 'utf16le').swap16()]);

function onDisk(name: string, bytes: Buffer): string {
  const path = join(tempDir(), name);
  writeFileSync(path, bytes);
  return path;
}

describe('UTF-16 exports', () => {
  it("reads checkov's UTF-16 plan (Terraform 1.0.5 on Windows) as its UTF-8 text", async () => {
    const raw = readFileSync(join(FIXTURES, 'terraform', 'checkov-plan-utf16le-bom.json'));
    expect([raw[0], raw[1]]).toEqual([0xff, 0xfe]);
    const utf8 = Buffer.from(raw.subarray(2).toString('utf16le'), 'utf8');
    const options = { account: '111111111111' };
    const expected = await parseAll(terraform, createInput('plan.json', utf8), options);
    expect(expected.nodes.some((n) => n.kind === 'aws_role')).toBe(true);
    const fromDisk = await openInput('plan.json', join(FIXTURES, 'terraform', 'checkov-plan-utf16le-bom.json'));
    expect(detectImporter(fromDisk).format).toBe('terraform');
    expect(await parseAll(terraform, fromDisk, options)).toEqual(expected);
    expect(await parseAll(terraform, createInput('plan.json', raw), options)).toEqual(expected);
  });

  it('reads a GAAD saved as UTF-16 little- or big-endian, plain or gzipped, from disk or memory', async () => {
    const text = readFileSync(join(REAL, 'aws-gaad', 'cloudsplaining-test-authz-details.json'), 'utf8');
    const expected = await parseAll(awsGaad, createInput('gaad.json', Buffer.from(text)));
    for (const [how, bytes] of [['le', utf16le(text)], ['be', utf16be(text)], ['le.gz', gzipSync(utf16le(text))]] as const) {
      const memory = createInput('gaad.json', bytes);
      expect(detectImporter(memory).format, how).toBe('aws-gaad');
      expect(await parseAll(awsGaad, memory), how).toEqual(expected);
      expect(await parseAll(awsGaad, await openInput('gaad.json', onDisk(`gaad.${how}`, bytes))), how).toEqual(expected);
    }
  });
});
