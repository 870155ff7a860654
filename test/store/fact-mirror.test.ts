import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { runImport } from '../../src/api/import.js';
import { CaseStore } from '../../src/store/case-store.js';
import { credentialFiles, users } from '../bench/aws-import.js';
import { FIXTURES, tempCase, tempDir } from '../helpers.js';

const ACCOUNT = '123456789012';

// An import into a case with no nodes merges what it wrote from memory (store/fact-mirror.ts); into any other
// case, from what it reads back. Both must leave the same rows.

/** Facts and merged rows of the nodes of one account, as stored. */
function rowsOf(path: string): { nodes: unknown[]; facts: unknown[] } {
  const db = new Database(path, { readonly: true });
  const like = `%${ACCOUNT}%`;
  const boundary = `aws:account:${ACCOUNT}`;
  const nodes = db.prepare('SELECT id, kind, name, stub, boundary, handles, props, sources, solo_source FROM nodes WHERE id LIKE ? OR boundary = ? ORDER BY id').all(like, boundary);
  const facts = db.prepare('SELECT * FROM node_facts WHERE node_id LIKE ? OR boundary = ? ORDER BY node_id, source_id').all(like, boundary);
  db.close();
  return { nodes, facts };
}

async function importInto(path: string, files: string[], sourceOffset = 0): Promise<{ nodes: unknown[]; facts: unknown[] }> {
  const store = CaseStore.open(path, { create: true });
  await runImport(store, { files: files.map((f) => ({ path: f })), options: { account: ACCOUNT, asOf: '2026-12-01' } });
  store.close();
  const rows = rowsOf(path);
  // Source ids counted from the case's first import of these files.
  const shift = (sources: string) => JSON.stringify((JSON.parse(sources) as number[]).map((s) => s - sourceOffset));
  return {
    nodes: rows.nodes.map((n) => {
      const r = n as { sources: string; solo_source: number | null };
      return { ...r, sources: shift(r.sources), solo_source: r.solo_source === null ? null : r.solo_source - sourceOffset };
    }),
    facts: rows.facts.map((f) => ({ ...(f as object), source_id: (f as { source_id: number }).source_id - sourceOffset })),
  };
}

describe('merging an import into an empty case from memory', () => {
  const list = users(300).map((u, i) => (i % 4 === 0 ? { ...u, password: !u.password } : u));
  /** The report and the keys of `list`, written for one test. */
  const files = () => {
    const dir = tempDir();
    const { report, keys } = credentialFiles(list);
    writeFileSync(join(dir, 'credential-report.csv'), report);
    writeFileSync(join(dir, 'access-keys.json'), keys);
    return { reportFile: join(dir, 'credential-report.csv'), keysFile: join(dir, 'access-keys.json') };
  };

  it('leaves the rows and facts an import into a case that holds other nodes leaves', async () => {
    const { reportFile, keysFile } = files();
    const fresh = await importInto(tempCase(), [reportFile, keysFile]);
    const other = tempCase();
    // Another account's report first: the case is not empty, so the import reads its facts back.
    const store = CaseStore.open(other, { create: true });
    await runImport(store, { files: [{ path: join(FIXTURES, 'aws', 'c7n-real-account-credential-report-2017.csv') }], options: { asOf: '2026-12-01' } });
    store.close();
    const read = await importInto(other, [reportFile, keysFile], 1);
    expect(fresh.nodes.length).toBe(300 + list.reduce((s, u) => s + u.keys.length + (u.password ? 1 : 0), 0) + 2);
    expect(fresh.facts.length).toBeGreaterThan(0);
    expect(fresh).toEqual(read);
  }, 60_000);

  it('is given up when a file of the import replaces an earlier one of the same import (its rows deleted behind it)', async () => {
    const { reportFile, keysFile } = files();
    const once = await importInto(tempCase(), [reportFile, keysFile]);
    const twice = await importInto(tempCase(), [reportFile, keysFile, reportFile]);
    // The report's second reading replaces its first: source 3 states what source 1 did.
    const asFirst = (x: { nodes: unknown[]; facts: unknown[] }) => JSON.parse(JSON.stringify(x).replace(/"solo_source":3/g, '"solo_source":1').replace(/"source_id":3/g, '"source_id":1').replace(/\[2,3\]/g, '[1,2]').replace(/\[3\]/g, '[1]')) as unknown;
    expect(asFirst(twice)).toEqual(once);
    // Passwords are stated by the report alone: solo rows, no facts.
    expect((twice.facts as { node_id: string }[]).some((f) => f.node_id.startsWith('aws:password:'))).toBe(false);
  }, 60_000);
});

describe('merging the props of facts written in the same transaction', () => {
  /** Two sources stating one node (the second with `second` as props), written and merged in one transaction. */
  function merged(second: Record<string, unknown>, caseHoldsOthers: boolean): unknown {
    const store = CaseStore.open(tempCase(), { create: true });
    const source = (label: string) => store.addSource({ label, fileName: label, format: 'test', sha256: label, importedAt: '2026-01-01T00:00:00Z', options: {} });
    if (caseHoldsOthers) {
      store.begin();
      const touched = new Set<string>();
      store.writeFragment(source('other'), { nodes: [{ id: 'other', kind: 'aws_role', name: 'other' }], edges: [], warnings: [] }, touched);
      store.materialize(touched);
      store.commit();
    }
    store.begin();
    const touched = new Set<string>();
    const id = 'arn:aws:iam::111111111111:user/u';
    store.writeFragment(source('a'), { nodes: [{ id, kind: 'aws_user', name: 'u', props: { kept: 'a', nested: { n: 1 }, list: [1, 2] } }], edges: [], warnings: [] }, touched);
    store.writeFragment(source('b'), { nodes: [{ id, kind: 'aws_user', name: 'u', stub: true, props: second as never }], edges: [], warnings: [] }, touched);
    store.materialize(touched);
    store.commit();
    const props = store.node(id)?.props;
    store.close();
    return props;
  }

  it('gives what merging the stored text gives, also when a props object does not survive JSON unchanged', () => {
    // From memory (an empty case) and read back (a case holding other nodes): an undefined value must not hide
    // the first source's value, as its parsed text (which has no such key) does not.
    for (const second of [{ extra: true, nested: { m: 2 } }, { kept: undefined, extra: 1 }, { list: [undefined, 3], extra: Number.NaN }]) {
      const fromMemory = merged(second, false);
      expect(fromMemory).toEqual(merged(second, true));
      expect(JSON.stringify(fromMemory)).toBe(JSON.stringify(merged(second, true)));
    }
    expect(merged({ kept: undefined, extra: 1 }, false)).toEqual({ kept: 'a', nested: { n: 1 }, list: [1, 2], extra: 1 });
  });
});
