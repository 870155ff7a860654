// The escalation-to-admin finding on a real export: Cloudsplaining's test account authorization details
// (test/fixtures/real-exports/aws-gaad). What the policies in the file say:
// - obama and userwithlotsofpermissions hold AdministratorAccess: admin-equivalent, so no escalation finding;
// - role OverprivilegedEC2 may iam:CreateAccessKey on *: it can act as either admin user (iam-002), 2 steps;
// - roles MyRole and MyOtherRole may pass OverprivilegedEC2 to an instance they run code on: 3 steps, conditional;
// - ec2.amazonaws.com (a service principal) is not a subject.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openEngine, type Engine } from '../../src/api/engine.js';
import type { Finding } from '../../src/api/contract.js';

const GAAD = join(import.meta.dirname, '..', 'fixtures', 'real-exports', 'aws-gaad', 'cloudsplaining-test-authz-details.json');
const ACCOUNT = '012345678901';
const role = (name: string) => `arn:aws:iam::${ACCOUNT}:role/${name}`;
const user = (name: string) => `arn:aws:iam::${ACCOUNT}:user/${name}`;

describe('escalation-to-admin on the Cloudsplaining test account', () => {
  const dir = mkdtempSync(join(tmpdir(), 'blastmap-escalation-'));
  let engine: Engine;
  let found: Finding[];
  beforeAll(async () => {
    engine = openEngine(join(dir, 'c.blastmap'), { create: true });
    await engine.importFiles({ files: [{ path: GAAD }] });
    found = await engine.findings({ rule: 'escalation-to-admin' });
  });
  afterAll(() => {
    engine.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const on = (id: string) => found.filter((f) => f.node!.id === id);

  it('reports a role that can create keys for admin users, with its first step', () => {
    const [f] = on(role('OverprivilegedEC2'));
    expect(f).toBeDefined();
    expect(f!.severity).toBe('high');
    expect(f!.title).toContain(`Admin of AWS account ${ACCOUNT}`);
    expect(f!.title).toContain('2 steps');
    // The technique of the first step: iam-002, creating an access key for another user.
    expect(f!.summary).toMatch(/Its first step: it can escalate to (obama|userwithlotsofpermissions) \(iam-002\)\./);
  });

  it('reports roles whose route needs a condition as medium', () => {
    for (const name of ['MyRole', 'MyOtherRole']) {
      const [f] = on(role(name));
      expect(f, name).toBeDefined();
      expect(f!.severity).toBe('medium');
      expect(f!.title).toContain('(conditional)');
    }
  });

  it('does not report admin-equivalent users, nor a service principal', () => {
    expect(on(user('obama'))).toEqual([]);
    expect(on(user('userwithlotsofpermissions'))).toEqual([]);
    expect(found.filter((f) => f.node!.kind === 'aws_service')).toEqual([]);
  });

  it('agrees with the paths command: every reported identity has a path to admin', async () => {
    for (const f of found) {
      const paths = await engine.paths({ from: f.node!.id, to: 'admin', k: 1 });
      expect(paths.length, f.node!.id).toBeGreaterThan(0);
    }
  });

  it('is recomputed by every import: an import that adds nothing keeps it, once', async () => {
    const before = found.map((f) => f.id).sort();
    await engine.importFiles({ files: [{ path: GAAD }] });
    const after = (await engine.findings({ rule: 'escalation-to-admin' })).map((f) => f.id).sort();
    expect(after).toEqual(before);
  });
});
