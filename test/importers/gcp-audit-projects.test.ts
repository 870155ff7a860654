import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openEngine } from '../../src/api/engine.js';
import { FIXTURES, REAL, tempCase, tempDir } from '../helpers.js';

// One VM named by its project's id in Cloud Asset Inventory and in some audit entries, by the project's number in
// others: one node. An entry naming no resource (a system event) is counted and said, not dropped in silence.

const AUDIT = join(FIXTURES, 'gcp', 'scenario-audit-vm-by-number-and-id.jsonl');
const CAI = join(REAL, 'gcp', 'cai-export-resource-forseti-mock.jsonl');
const VM = 'gcp:resource://compute.googleapis.com/projects/project1/zones/us-central1-c/instances/iap_instance1';

describe('GCP audit logs: project number and id', () => {
  it('merges the number form of a VM with its id form, from the entry itself or from the case', async () => {
    const engine = openEngine(tempCase(), { create: true });
    const result = await engine.importFiles({ files: [{ path: AUDIT }, { path: CAI }] });
    const vm = await engine.node({ id: VM });
    expect(vm.node.stub).toBe(false);
    // All three calls on the VM, whichever way they named it, are one activity.
    const ops = vm.activity?.find((a) => a.other.name === 'ops@example.com');
    expect(ops).toMatchObject({ direction: 'in', count: 3, actions: expect.arrayContaining(['v1.compute.instances.insert', 'v1.compute.instances.setMetadata', 'v1.compute.instances.stop']) });
    expect((await engine.resolve({ ref: 'gcp:resource://compute.googleapis.com/projects/1041/zones/us-central1-c/instances/iap_instance1' }))).toMatchObject({ status: 'found', node: { id: VM } });
    expect(result.warnings).toContainEqual(expect.objectContaining({ file: 'scenario-audit-vm-by-number-and-id.jsonl', message: '1 record(s) skipped: the entry names no resource (no resourceName, as system events): who acted is recorded, not what was reached', location: 'line 4' }));
    engine.close();
  });

  it('a number no entry ties to an id is tied by the projects the case holds, and only then', async () => {
    // The id-form insert and the stop that names the project only by number, with no project id on its entry.
    const lines = readFileSync(AUDIT, 'utf8').trim().split('\n');
    const file = join(tempDir(), 'audit.jsonl');
    writeFileSync(file, `${lines[0]}\n${lines[2]}\n`);
    const alone = openEngine(tempCase(), { create: true });
    await alone.importFiles({ files: [{ path: file }] });
    expect((await alone.node({ id: VM })).activity?.[0]?.count).toBe(1);
    alone.close();
    const withCai = openEngine(tempCase(), { create: true });
    await withCai.importFiles({ files: [{ path: CAI }] });
    await withCai.importFiles({ files: [{ path: file }] });
    expect((await withCai.node({ id: VM })).activity?.[0]?.count).toBe(2);
    withCai.close();
  });
});
