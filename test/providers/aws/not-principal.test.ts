import { describe, expect, it } from 'vitest';
import { awsResourcePolicy } from '../../../src/importers/aws-resource-policy.js';
import { createInput } from '../../../src/importers/input.js';
import type { JsonObject } from '../../../src/model/fragment.js';
import { parseAll } from '../../helpers.js';
import { A, allow, arn, awsCase, doc, gaad } from './aws-case.js';

// A Deny with NotPrincipal, as AWS documents it (IAM JSON policy elements: NotPrincipal) and as the AWS security
// blog and knowledge-center articles show it failing in practice: it denies everyone not listed; the caller must
// be listed — for a role that is its session (arn:aws:sts::…:assumed-role/R/<session>), so the role's ARN alone
// exempts none of its callers; AWS may check the account (and, for a session, the role) first, so a principal
// listed without them may still be denied; a principal with a permissions boundary is always denied. The same
// rules on both policy kinds that carry it: a bucket policy (get-bucket-policy output) and a role trust policy.

const bucket = 'arn:aws:s3:::nw-audit-logs';
const root = `arn:aws:iam::${A}:root`;
const session = (role: string, name = 'audit-app') => `arn:aws:sts::${A}:assumed-role/${role}/${name}`;
const ops = arn(A, 'user', 'ops');
const dev = arn(A, 'user', 'dev');
const app = arn(A, 'role', 'app');
const bounded = arn(A, 'role', 'bounded');

type Outcome = 'allowed' | 'conditional' | 'denied';
interface Row {
  listed: string[];
  expect: Record<string, Outcome>;
}

// Each row: what NotPrincipal lists, and what becomes of each caller.
const ROWS: Row[] = [
  { listed: [ops, root, app, session('app'), bounded, session('bounded')], expect: { [ops]: 'allowed', [dev]: 'denied', [app]: 'allowed', [bounded]: 'denied' } },
  // The user without its account: AWS may deny the account first.
  { listed: [ops], expect: { [ops]: 'conditional', [dev]: 'denied', [app]: 'denied' } },
  // The role and its account but no session of it: every caller of the role is a session, and is denied.
  { listed: [app, root], expect: { [app]: 'denied', [ops]: 'denied' } },
  // A session and the role, without the account; a session and the account, without the role: AWS may check them first.
  { listed: [app, session('app')], expect: { [app]: 'conditional' } },
  { listed: [session('app'), root], expect: { [app]: 'conditional' } },
  // The account alone exempts its root user, not its users and roles.
  { listed: [root], expect: { [ops]: 'denied', [app]: 'denied' } },
];

const users = ['ops', 'dev'].map((name) => ({ name, policies: [doc(allow(['s3:GetObject', 'sts:AssumeRole']))] }));
const roles = (trust: JsonObject) => [
  { name: 'app', trust: doc(), policies: [doc(allow(['s3:GetObject', 'sts:AssumeRole']))] },
  { name: 'bounded', trust: doc(), policies: [doc(allow(['s3:GetObject', 'sts:AssumeRole']))], boundary: arn(A, 'policy', 'boundary') },
  { name: 'target', trust },
];
const boundaryPolicy = { name: 'boundary', document: doc(allow('*')) };

function outcome(edge: { conditional: boolean } | undefined): Outcome {
  return !edge ? 'denied' : edge.conditional ? 'conditional' : 'allowed';
}

describe('Deny with NotPrincipal', () => {
  it.each(ROWS.map((r, i) => [i, r] as const))('in a bucket policy (row %i)', async (_, row) => {
    const output = { Policy: JSON.stringify(doc({ Sid: 'OnlyListed', Effect: 'Deny', NotPrincipal: { AWS: row.listed }, Action: 's3:*', Resource: [bucket, `${bucket}/*`] })) };
    const policy = await parseAll(awsResourcePolicy, createInput('get-bucket-policy.json', Buffer.from(JSON.stringify(output, null, 4))), { account: A });
    const c = await awsCase([gaad(A, { users, roles: roles(doc()), policies: [boundaryPolicy] })], [policy]);
    for (const [who, want] of Object.entries(row.expect)) expect([who, outcome(c.edge(who, bucket, 'CAN_ACCESS'))]).toEqual([who, want]);
    c.store.close();
  });

  it.each(ROWS.map((r, i) => [i, r] as const))('in a role trust policy (row %i)', async (_, row) => {
    const trust = doc({ Effect: 'Allow', Principal: { AWS: root }, Action: 'sts:AssumeRole' }, { Effect: 'Deny', NotPrincipal: { AWS: row.listed }, Action: 'sts:AssumeRole' });
    const c = await awsCase([gaad(A, { users, roles: roles(trust), policies: [boundaryPolicy] })]);
    for (const [who, want] of Object.entries(row.expect)) expect([who, outcome(c.edge(who, arn(A, 'role', 'target'), 'CAN_ASSUME'))]).toEqual([who, want]);
    c.store.close();
  });

  it('explains the undecided case, and an Allow naming a role session names the role', async () => {
    const trust = doc({ Effect: 'Allow', Principal: { AWS: root }, Action: 'sts:AssumeRole' }, { Effect: 'Deny', NotPrincipal: { AWS: [app, session('app')] }, Action: 'sts:AssumeRole' });
    const c = await awsCase([gaad(A, { users, roles: roles(trust), policies: [boundaryPolicy] })]);
    expect(String(c.edge(app, arn(A, 'role', 'target'), 'CAN_ASSUME')?.props.conditional)).toContain(`NotPrincipal lists the session ${session('app')} of app (a session name the caller picks) but not its account ${A}`);
    c.store.close();
    // A bucket policy granting a session of a role of another account: the role's callers may use that session name.
    const output = { Policy: JSON.stringify(doc({ Effect: 'Allow', Principal: { AWS: session('app', 'etl') }, Action: 's3:GetObject', Resource: `${bucket}/*` })) };
    const policy = await parseAll(awsResourcePolicy, createInput('get-bucket-policy.json', Buffer.from(JSON.stringify(output))), { account: '999988887777' });
    const cross = await awsCase([gaad(A, { users, roles: roles(doc()), policies: [boundaryPolicy] })], [policy]);
    expect(cross.edge(app, bucket, 'CAN_ACCESS')?.props.actions).toEqual(['s3:GetObject']);
    expect(cross.edge(ops, bucket, 'CAN_ACCESS')).toBeUndefined();
    cross.store.close();
  });
});
