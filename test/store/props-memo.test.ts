import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { runImport } from '../../src/api/import.js';
import { CaseStore } from '../../src/store/case-store.js';
import type { JsonObject } from '../../src/model/fragment.js';
import { PropsMemo } from '../../src/store/props-memo.js';
import { syntheticGaad } from '../bench/aws.js';
import { syntheticCluster } from '../bench/k8s.js';
import { tempDir } from '../helpers.js';

// An import keeps the props objects it wrote for derivation to read back (store/props-memo.ts). A rule must see what
// parsing the row would give: the memo keeps only objects JSON gives back unchanged, hands each out once and only
// for the text it wrote.

describe('PropsMemo', () => {
  it('keeps only objects that read back from their JSON unchanged', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.anything({ maxDepth: 3 })), (props) => {
        const memo = new PropsMemo();
        memo.kinds = undefined;
        const json = JSON.stringify(props);
        // Any value, JSON or not: the memo must refuse what JSON would not give back.
        memo.wrote('n', 'k', json, props as JsonObject);
        const kept = memo.take('n', json);
        if (kept !== undefined) expect(JSON.parse(json)).toStrictEqual(kept);
      }),
      { numRuns: 2000 },
    );
  });

  it('refuses what JSON would change', () => {
    const memo = new PropsMemo();
    memo.kinds = undefined;
    for (const props of [{ a: undefined }, { a: Number.NaN }, { a: -0 }, { a: [1, undefined] }, { a: new Date(0) }, { a: Object.create(null) as object }]) {
      const json = JSON.stringify(props);
      memo.wrote('n', 'k', json, props as never);
      expect(memo.take('n', json)).toBeUndefined();
    }
  });

  it('hands an object out once, for the text written, for the kinds asked, until cleared', () => {
    const memo = new PropsMemo();
    const props = { policy: { Statement: [{ Effect: 'Allow' }] } };
    const json = JSON.stringify(props);
    memo.wrote('a', 'aws_role', json, props);
    expect(memo.take('a', json)).toBeUndefined(); // no kinds asked yet
    memo.kinds = new Set(['aws_role']);
    memo.wrote('a', 'aws_role', json, props);
    memo.wrote('b', 'aws_user', json, props);
    expect(memo.take('b', json)).toBeUndefined();
    expect(memo.take('a', '{"other":1}')).toBeUndefined(); // the row holds other text: parse it
    memo.wrote('a', 'aws_role', json, props);
    expect(memo.take('a', json)).toBe(props);
    expect(memo.take('a', json)).toBeUndefined();
    memo.wrote('a', 'aws_role', json, props);
    memo.forget('a');
    expect(memo.take('a', json)).toBeUndefined();
    memo.wrote('a', 'aws_role', json, props);
    memo.clear();
    expect(memo.take('a', json)).toBeUndefined();
  });
});

describe('merged props handed to rules', () => {
  it('are what parsing the row gives when a fact holds a "__proto__" key (merging assigns it as the prototype)', () => {
    const store = CaseStore.open(join(tempDir(), 'proto.blastmap'), { create: true });
    store.begin();
    store.keepPropsOf(undefined);
    // Aliased, so both statements are facts that keep their objects (a parse gives an own "__proto__" key).
    const fact = (source: number) => ({
      nodes: [{ id: 'x', kind: 'aws_user' as const, name: 'x', props: JSON.parse(`{"__proto__":{"polluted":true},"n":${source}}`) as JsonObject }],
      edges: [],
      warnings: [],
      aliases: [{ from: 'x', to: 'y' }],
    });
    const touched = new Set<string>();
    for (const label of ['a', 'b']) {
      const id = store.addSource({ label, fileName: label, format: 'opengraph', sha256: label, importedAt: '2026-01-01T00:00:00Z', options: {} });
      store.writeFragment(id, fact(id), touched);
    }
    store.materialize(touched);
    const props = store.ruleNode('x')!.props;
    expect(Object.getPrototypeOf(props)).toBe(Object.prototype);
    // node() parses the row.
    expect(props).toStrictEqual(store.node('x')!.props);
    expect((props as Record<string, unknown>)['polluted']).toBeUndefined();
    store.rollback();
    store.close();
  });
});

describe('derivation with and without the props memo', () => {
  afterEach(() => vi.restoreAllMocks());

  /** Every derived row, finding and merged node of a case, ids resolved, in a stable order. */
  function results(path: string): unknown {
    const db = new Database(path, { readonly: true });
    const out = {
      edges: db.prepare('SELECT src, dst, kind, derived, conditional, props, evidence FROM edges ORDER BY src, dst, kind, props').all(),
      evidence: db.prepare('SELECT * FROM evidence ORDER BY id').all(),
      findings: db.prepare('SELECT id, rule, severity, node_id, title, summary, evidence FROM findings ORDER BY id').all(),
      nodes: db.prepare('SELECT id, kind, name, props FROM nodes ORDER BY id').all(),
    };
    db.close();
    return out;
  }

  async function importBoth(files: string[], twice: boolean): Promise<{ memo: unknown; parsed: unknown; used: number }> {
    const dir = tempDir();
    const again = files.map((f, i) => {
      const copy = join(dir, `again-${i}.json`);
      writeFileSync(copy, JSON.stringify(JSON.parse(readFileSync(f, 'utf8')), null, 1));
      return copy;
    });
    const run = async (name: string) => {
      const path = join(dir, name);
      const store = CaseStore.open(path, { create: true });
      await runImport(store, { files: files.map((f) => ({ path: f })), options: { asOf: '2026-12-01' } });
      // The same exports again, formatted otherwise (another source): the merge path, rows merged from two sources.
      if (twice) await runImport(store, { files: again.map((f) => ({ path: f })), options: { asOf: '2026-12-01' } });
      store.close();
      return results(path);
    };
    const take = vi.spyOn(PropsMemo.prototype, 'take');
    const memo = await run('memo.blastmap');
    const used = take.mock.results.filter((r) => r.value !== undefined).length;
    take.mockReturnValue(undefined);
    const parsed = await run('parsed.blastmap');
    return { memo, parsed, used };
  }

  it('gives the same edges, evidence, findings and nodes on AWS and Kubernetes inputs, fresh and merged', async () => {
    const dir = tempDir();
    const gaad = join(dir, 'gaad.json');
    writeFileSync(gaad, JSON.stringify(syntheticGaad(60, 60, 60)));
    const kubectl = join(dir, 'kubectl.json');
    writeFileSync(kubectl, JSON.stringify(syntheticCluster({ serviceAccounts: 100, roleBindings: 100, pods: 200 })));
    for (const twice of [false, true]) {
      const { memo, parsed, used } = await importBoth([gaad, kubectl], twice);
      expect(used).toBeGreaterThan(100);
      expect(memo).toEqual(parsed);
    }
  });
});
