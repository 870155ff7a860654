// The estate's boundaries as real exports name them: a GCP project named by its number in one place and by its id
// in another is one box, and a boundary no export describes (an account only a CloudTrail record names) is still
// an account, not an unknown object.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openEngine, type Engine } from '../../src/api/engine.js';

const REAL = join(import.meta.dirname, '..', 'fixtures', 'real-exports');
const dirs: string[] = [];
let engine: Engine | undefined;

async function estateOf(files: string[]) {
  const dir = mkdtempSync(join(tmpdir(), 'blastmap-estate-'));
  dirs.push(dir);
  engine = openEngine(join(dir, 'c.blastmap'), { create: true });
  await engine.importFiles({ files: files.map((f) => ({ path: join(REAL, f) })) });
  return engine.estate({});
}

afterEach(() => {
  engine?.close();
  engine = undefined;
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('estate boundaries', () => {
  it('counts a project named by number (asset ancestors) and by id (its service accounts, its admin) in one box', async () => {
    const estate = await estateOf(['gcp/cai-export-resource-forseti-mock.jsonl', 'gcp/cai-export-iam-policy-forseti-mock.jsonl']);
    const projects = estate.boundaries.filter((b) => b.boundary.kind === 'gcp_project');
    const names = projects.map((b) => b.boundary.name);
    expect(new Set(names).size).toBe(names.length);
    // project2 (number 1042): its resources, its service accounts and its admin node in the same box.
    const project2 = projects.find((b) => b.boundary.name === 'project2')!;
    expect(project2.resources).toBeGreaterThan(0);
    expect(project2.identities).toBeGreaterThan(0);
    expect(project2.admins).toBeGreaterThan(0);
  });

  it('names a boundary known only by its id by its kind', async () => {
    const estate = await estateOf(['cloudtrail/c7n-single-record-runinstances-iamuser.json']);
    expect(estate.boundaries.map((b) => [b.boundary.kind, b.boundary.name, b.boundary.category])).toEqual([['aws_account', '644160558196', 'boundary']]);
  });
});
