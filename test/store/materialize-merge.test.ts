import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runImport } from '../../src/api/import.js';
import { ids } from '../../src/model/ids.js';
import { CaseStore } from '../../src/store/case-store.js';
import { credentialFiles, users } from '../bench/aws-import.js';
import { tempCase, tempDir } from '../helpers.js';

const ACCOUNT = '123456789012';

/** A credential report and its access keys imported together into a new case. */
async function imported(list: ReturnType<typeof users>): Promise<CaseStore> {
  const { report, keys } = credentialFiles(list);
  const dir = tempDir();
  writeFileSync(join(dir, 'credential-report.csv'), report);
  writeFileSync(join(dir, 'access-keys.json'), keys);
  const store = CaseStore.open(tempCase(), { create: true });
  await runImport(store, { files: [{ path: join(dir, 'credential-report.csv') }, { path: join(dir, 'access-keys.json') }], options: { account: ACCOUNT, asOf: '2026-12-01' } });
  return store;
}

describe('materialising many merged nodes at once', () => {
  it('gives every node the row an import of that user alone gives it (alias links and aliased ids kept per import)', async () => {
    // 2,600 users: their key slots, keys and rendezvous ids merge through thousands of aliases, whose links the
    // store builds once and reuses across the import's fragments and materialisations.
    const list = users(2600);
    const big = await imported(list);
    for (const i of [0, 1, 2, 3, 5, 10, 2599]) {
      const u = list[i]!;
      const small = await imported([u]);
      const arn = `arn:aws:iam::${ACCOUNT}:user/${u.name}`;
      const nodeIds = [arn, ...u.keys.map((k) => ids.awsAccessKey(k.id)), ...(u.password ? [`aws:password:${arn}`] : [])];
      for (const id of nodeIds) {
        const row = big.node(id);
        expect(row, id).toBeDefined();
        expect(row).toEqual(small.node(id));
      }
      // Each key slot merged into its key: the slot names the key's row, which carries both sources' facts.
      for (const [k, key] of u.keys.entries()) {
        expect(big.node(`aws:keyslot:${arn}:${k + 1}`)?.id).toBe(ids.awsAccessKey(key.id));
        expect(big.node(ids.awsAccessKey(key.id))?.props).toMatchObject({ slot: k + 1, status: 'Active', userName: u.name });
      }
      small.close();
    }
    expect(big.counts().nodes).toBe(list.length + list.reduce((s, u) => s + u.keys.length + (u.password ? 1 : 0), 0) + 2);
    big.close();
  }, 120_000);
});
