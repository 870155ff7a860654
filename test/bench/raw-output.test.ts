import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { runImport } from '../../src/api/import.js';
import { CaseStore } from '../../src/store/case-store.js';
import { syntheticOrganization } from './cloud.js';
import { rawWrite, readOutput } from './raw-output.js';
import { tempDir } from '../helpers.js';
import { writeFileSync } from 'node:fs';

// The cloud bench's second baseline writes a finished import's output raw; it is a floor only if it writes the same
// rows the import stored, and a queryable case (search finds the names).
describe('raw write of an import output (bench baseline)', () => {
  it('writes every graph row the import stored, and the search index over them', async () => {
    const dir = tempDir();
    const { resources, policies } = syntheticOrganization(3);
    writeFileSync(join(dir, 'resources.jsonl'), resources);
    writeFileSync(join(dir, 'policies.jsonl'), policies);
    const casePath = join(dir, 'case.blastmap');
    const store = CaseStore.open(casePath, { create: true });
    await runImport(store, { files: [{ path: join(dir, 'resources.jsonl') }, { path: join(dir, 'policies.jsonl') }] });
    store.close();

    const output = readOutput(casePath);
    expect(output.edges.length).toBeGreaterThan(100);
    expect(output.evidence.length).toBeGreaterThan(0);
    const run = rawWrite(output, join(dir, 'raw.sqlite'));
    expect(run.wallMs).toBeGreaterThan(0);

    const copy = readOutput(join(dir, 'raw.sqlite'));
    expect(copy).toEqual(output);
    const db = new Database(join(dir, 'raw.sqlite'), { readonly: true });
    const hits = db.prepare("SELECT count(*) FROM node_name_fts WHERE name MATCH 'bucket'").pluck().get() as number;
    const buckets = db.prepare("SELECT count(*) FROM nodes WHERE name LIKE '%bucket%'").pluck().get() as number;
    db.close();
    expect(buckets).toBeGreaterThan(0);
    expect(hits).toBe(buckets);
  });
});
