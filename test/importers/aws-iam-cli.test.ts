import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openEngine } from '../../src/api/engine.js';
import { awsIamCli } from '../../src/importers/aws-iam-cli.js';
import { createInput } from '../../src/importers/input.js';
import { detectImporter } from '../../src/importers/registry.js';
import { FIXTURES, parseAll, tempCase, tempDir } from '../helpers.js';

const fx = (name: string) => join(FIXTURES, 'aws-iam-cli', name);
const PIECES = ['roles-script.json', 'list-users.json', 'list-attached-user-policies-ci-bot.json', 'list-policies-local.json', 'policies-versions.json'].map(fx);
const A = '123456789012';

async function importCase(paths: string[], options: { account?: string } = {}) {
  const engine = openEngine(tempCase(), { create: true });
  const result = await engine.importWithHooks({ files: paths.map((path) => ({ path })), options }, { now: new Date('2026-03-10T00:00:00Z') });
  return { engine, result };
}

/** Derived edges as comparable lines (kind, from, to, technique). */
function derived(engine: ReturnType<typeof openEngine>): string[] {
  const out: string[] = [];
  for (const kind of ['ADMIN_OF', 'CAN_ASSUME', 'CAN_ESCALATE', 'CAN_ACCESS', 'CAN_READ_CREDENTIAL'] as const) {
    for (const e of engine.store.edgesOfKind(kind)) if (e.derived) out.push(`${kind} ${e.src} → ${e.dst} ${e.props.technique ?? ''}`);
  }
  return out.sort();
}

function write(name: string, value: unknown): string {
  const path = join(tempDir(), name);
  writeFileSync(path, typeof value === 'string' ? value : JSON.stringify(value, null, 2));
  return path;
}

describe('AWS IAM read outputs (when GAAD is not allowed)', () => {
  it('is detected from content, never in place of GAAD', () => {
    for (const p of PIECES) expect(detectImporter(createInput(p.split('/').pop()!, readFileSync(p))).format, p).toBe('aws-iam-cli');
    expect(detectImporter(createInput('gaad.json', readFileSync(fx('gaad-same-estate.json')))).format).toBe('aws-gaad');
  });

  it('evaluates the pieces exactly as the GAAD of the same estate', async () => {
    const pieces = await importCase(PIECES);
    const gaad = await importCase([fx('gaad-same-estate.json')]);
    const fromPieces = derived(pieces.engine);
    expect(fromPieces).toEqual(derived(gaad.engine));
    expect(fromPieces).toContain(`ADMIN_OF arn:aws:iam::${A}:role/deploy-admin → admin:aws:account:${A} *:*`);
    // Same nodes, same props where both say something.
    const role = pieces.engine.store.node(`arn:aws:iam::${A}:role/service-role/batch-worker`)!;
    expect(role.props).toMatchObject({ roleName: 'batch-worker', path: '/service-role/', owner: 'data-team', lastUsedAt: '2026-02-27T08:10:11.000Z', attachedPolicies: [`arn:aws:iam::${A}:policy/read-logs`] });
    expect(pieces.engine.store.node(`arn:aws:iam::${A}:policy/launch-anything`)?.props['document']).toEqual(gaad.engine.store.node(`arn:aws:iam::${A}:policy/launch-anything`)?.props['document']);
    pieces.engine.close();
    gaad.engine.close();
  });

  it('adds one inline policy per file instead of replacing the last, and merges with GAAD', async () => {
    const role = `arn:aws:iam::${A}:role/bot-role`;
    const p1 = write('p1.json', { RoleName: 'bot-role', PolicyName: 'read-secrets', PolicyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: '*' }] } });
    const p2 = write('p2.json', { RoleName: 'bot-role', PolicyName: 'iam-admin', PolicyDocument: '%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%5B%7B%22Effect%22%3A%22Allow%22%2C%22Action%22%3A%22iam%3A*%22%2C%22Resource%22%3A%22*%22%7D%5D%7D' });
    const c = await importCase([fx('gaad-same-estate.json'), p1, p2], { account: A });
    const node = c.engine.store.node(role)!;
    expect(node.sources).toHaveLength(3);
    expect(Object.keys(node.props).filter((k) => k.startsWith('inlinePolicy:')).sort()).toEqual(['inlinePolicy:iam-admin', 'inlinePolicy:read-secrets']);
    // iam:* from the second file makes the role admin; the first file's policy is still evaluated beside it.
    expect([...c.engine.store.edgesOfKind('ADMIN_OF')].some((e) => e.src === role)).toBe(true);
    c.engine.close();
  });

  it('asks for the account or the principal when an output does not name them', async () => {
    const lone = write('attached.json', { AttachedPolicies: [{ PolicyName: 'x', PolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }], IsTruncated: false });
    await expect(parseAll(awsIamCli, createInput('attached.json', readFileSync(lone)), { account: A })).rejects.toThrow(/does not name its role, user or group.*list-attached-role-policies-<name>\.json/);
    const inline = write('inline.json', { UserName: 'ci-bot', PolicyName: 'p', PolicyDocument: { Version: '2012-10-17', Statement: [] } });
    await expect(parseAll(awsIamCli, createInput('inline.json', readFileSync(inline)))).rejects.toThrow(/pass --account/);
    const f = await parseAll(awsIamCli, createInput('inline.json', readFileSync(inline)), { account: A });
    expect(f.nodes.find((n) => n.id === `arn:aws:iam::${A}:user/ci-bot`)).toMatchObject({ stub: true, props: expect.objectContaining({ 'inlinePolicy:p': { name: 'p', document: { Version: '2012-10-17', Statement: [] } } }) });
    const version = write('v.json', { PolicyVersion: { Document: { Version: '2012-10-17', Statement: [] }, VersionId: 'v1', IsDefaultVersion: true } });
    await expect(parseAll(awsIamCli, createInput('v.json', readFileSync(version)), { account: A })).rejects.toThrow(/does not name its policy/);
    const bad = write('bad.json', `${JSON.stringify({ Role: { RoleName: 'r', Arn: `arn:aws:iam::${A}:role/r`, AssumeRolePolicyDocument: '{not json' } })}\n`);
    await expect(parseAll(awsIamCli, createInput('bad.json', readFileSync(bad)))).rejects.toThrow(/\$\.Role\.AssumeRolePolicyDocument/);
  });
});
