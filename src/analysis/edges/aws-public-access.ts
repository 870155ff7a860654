import { kindsOfProviders, reads } from '../reads.js';
import { AWS_EMIT_READS } from '../../providers/aws/emit.js';
import { isJsonObject } from '../../model/fragment.js';
import type { Evidence, JsonObject } from '../../model/fragment.js';
import { ids } from '../../model/ids.js';
import { ACCESS_LEVELS, type AccessLevel, type NodeKind } from '../../model/kinds.js';
import type { StoredNode } from '../../store/case-store.js';
import { actionsOf } from '../../providers/aws/catalog.js';
import { edgeProps } from '../../providers/aws/emit.js';
import { inventoryOf } from '../../providers/aws/inventory.js';
import { statementEvidence } from '../../providers/aws/evaluate.js';
import { actionPatternMatches, evaluateCondition, statementCoversAction, statementsOf, strings, type RequestContext, type Statement } from '../../providers/aws/policy.js';
import type { DeriveContext, EdgeRule } from './types.js';

// Resources open to anyone: a resource policy whose Allow names Principal "*" (a world-readable or writable
// bucket, a secret, a key, a function anyone may invoke) or a function URL with AuthType NONE. "Anyone" is one
// node, reached with nothing — no credential, no account. Its conditions are evaluated for a caller with no
// identity: a grant limited to an account, an organization or a principal ARN is not public (the other rules draw
// it for the principals of the case); one limited to an address, a VPC endpoint or a referrer stays, conditional.
// A function anyone can invoke runs with its role: whoever can make its code act on their input (an injection,
// a command it runs for them) acts as that role — a conditional path from anyone to the role.

const POLICY_PROPS: [NodeKind, string][] = [['aws_bucket', 'resourcePolicy'], ['aws_secret', 'resourcePolicy'], ['aws_kms_key', 'keyPolicy'], ['aws_lambda', 'resourcePolicy']];

/** A request with no credentials: every identity key is absent. */
const ANONYMOUS: RequestContext = {
  values: new Map<string, string[] | null>([
    ['aws:principalarn', null],
    ['aws:principalaccount', null],
    ['aws:principalorgid', null],
    ['aws:principalorgpaths', null],
    ['aws:principaltype', ['Anonymous']],
    ['aws:userid', null],
    ['aws:username', null],
    ['aws:principalisawsservice', ['false']],
    ['aws:principalservicename', null],
    ['aws:sourceaccount', null],
    ['aws:sourcearn', null],
    ['aws:sourceowner', null],
    ['aws:principaltag/*', null],
  ]),
  principalTags: {},
};

const INVOKE = ['lambda:InvokeFunction', 'lambda:InvokeFunctionUrl'];

export const awsPublicAccess: EdgeRule = {
  id: 'aws-public-access',
  description: 'Resources open to anyone without credentials: resource policies with Principal "*", public Lambda function URLs; and the role a publicly invocable function runs with.',
  emits: ['CAN_ACCESS', 'CAN_ESCALATE'],
  reads: reads(AWS_EMIT_READS, { nodes: [...kindsOfProviders('aws'), 'anyone'], edges: ['USES_ROLE'] }),
  derive(ctx) {
    for (const [kind, prop] of POLICY_PROPS) {
      for (const node of ctx.nodesOfKind(kind)) {
        const statements = isJsonObject(node.props[prop]) ? statementsOf(node.props[prop], { label: `the resource policy of ${node.name}`, location: `${node.id} ${prop}`, kind: 'resource' }) : [];
        const grant = publicGrant(node, statements);
        const url = kind === 'aws_lambda' ? publicUrl(node, statements) : undefined;
        if (!grant && !url) continue;
        const anyone = anyoneNode(ctx);
        const best = [grant, url].filter((g): g is PublicGrant => !!g).sort((a, b) => ACCESS_LEVELS.indexOf(b.level) - ACCESS_LEVELS.indexOf(a.level) || a.conditions.length - b.conditions.length)[0]!;
        ctx.emitEdge({
          from: anyone,
          to: node.id,
          kind: 'CAN_ACCESS',
          props: edgeProps(`Anyone, with no credentials, has ${best.level} access to ${node.name}: ${best.how}.`, best.technique, best.evidence, best.conditions, { accessLevel: best.level, actions: best.actions, public: true }),
        });
        if (kind === 'aws_lambda') invokable(ctx, anyone, node, [grant, url].filter((g): g is PublicGrant => !!g && g.invoke));
      }
    }
  },
};

interface PublicGrant {
  level: AccessLevel;
  actions: string[];
  conditions: string[];
  evidence: Evidence[];
  how: string;
  technique: string;
  /** Whether it lets anyone invoke the function. */
  invoke: boolean;
}

function anyoneNode(ctx: DeriveContext): string {
  const id = ids.anyone();
  if (!ctx.node(id)) ctx.emitNode({ id, kind: 'anyone', name: 'Anyone (no credentials)', handles: ['anyone'], props: { description: 'Anyone on the internet, with no AWS credentials' } });
  return id;
}

function isEveryone(s: Statement): boolean {
  if (s.principal === '*') return true;
  return isJsonObject(s.principal) && strings(s.principal['AWS']).includes('*');
}

/** The widest Allow to Principal "*" that holds for an anonymous caller, net of denies that stop it. */
function publicGrant(node: StoredNode, statements: Statement[]): PublicGrant | undefined {
  const service = node.kind === 'aws_bucket' ? 's3' : node.kind === 'aws_secret' ? 'secretsmanager' : node.kind === 'aws_kms_key' ? 'kms' : 'lambda';
  const catalogue = actionsOf(service);
  let best: PublicGrant | undefined;
  for (const s of statements) {
    if (s.effect !== 'Allow' || !isEveryone(s)) continue;
    const c = evaluateCondition(s.condition, ANONYMOUS, 'Allow');
    if (c.result === 'false') continue;
    const covered = s.notAction ? catalogue.filter((a) => !s.actions.some((p) => actionPatternMatches(p, a.action))) : catalogue.filter((a) => s.actions.some((p) => actionPatternMatches(p, a.action)));
    // Actions a Principal "*" deny stops for everyone (unconditionally, or for an anonymous caller).
    const open = covered.filter((a) => !statements.some((d) => d.effect === 'Deny' && isEveryone(d) && statementCoversAction(d, a.action) && evaluateCondition(d.condition, ANONYMOUS, 'Deny').result === 'true'));
    if (!open.length) continue;
    const level = open.reduce<AccessLevel>((m, a) => (ACCESS_LEVELS.indexOf(a.accessLevel) > ACCESS_LEVELS.indexOf(m) ? a.accessLevel : m), 'List');
    const grant: PublicGrant = {
      level,
      actions: s.actionsAsWritten,
      conditions: c.unknown,
      evidence: [statementEvidence(s)],
      how: `${s.sid ? `statement ${s.sid}` : `statement ${s.index + 1}`} of its resource policy allows ${s.actionsAsWritten.join(', ')} to Principal "*"`,
      technique: 'public-resource-policy',
      invoke: node.kind === 'aws_lambda' && INVOKE.some((a) => open.some((o) => o.action.toLowerCase() === a.toLowerCase())),
    };
    if (!best || ACCESS_LEVELS.indexOf(level) > ACCESS_LEVELS.indexOf(best.level) || (level === best.level && best.conditions.length > grant.conditions.length)) best = grant;
  }
  return best;
}

/** A function URL with AuthType NONE: anyone can invoke it over HTTPS (its resource policy allows it when created from the console or CLI). */
function publicUrl(node: StoredNode, statements: Statement[]): PublicGrant | undefined {
  const url = node.props['functionUrl'];
  if (!isJsonObject(url) || url['authType'] !== 'NONE') return undefined;
  const conditions: string[] = [];
  if (!statements.length) conditions.push(`the function policy of ${node.name} (not in the case) allows lambda:InvokeFunctionUrl to Principal "*", as AWS adds for a URL with AuthType NONE`);
  else if (!statements.some((s) => s.effect === 'Allow' && isEveryone(s) && statementCoversAction(s, 'lambda:InvokeFunctionUrl'))) return undefined;
  const evidence: Evidence = { type: 'inventory-record', summary: `${node.name} has a function URL ${String(url['url'] ?? '')} with AuthType NONE`, location: typeof url['at'] === 'string' ? url['at'] : node.id, data: url as JsonObject };
  return { level: 'Write', actions: ['lambda:InvokeFunctionUrl'], conditions, evidence: [evidence], how: `its function URL has AuthType NONE`, technique: 'public-function-url', invoke: true };
}

/** Anyone → the role a publicly invocable function runs with, conditional on its code doing the caller's bidding. */
function invokable(ctx: DeriveContext, anyone: string, fn: StoredNode, grants: PublicGrant[]): void {
  if (!grants.length) return;
  const account = fn.boundary?.replace(/^aws:account:/, '') ?? '';
  const roles = inventoryOf(ctx, 'aws_lambda').byAccount.get(account)?.find((r) => r.node.id === fn.id)?.roles ?? [];
  for (const role of roles) {
    const g = grants[0]!;
    ctx.emitEdge({
      from: anyone,
      to: role,
      kind: 'CAN_ESCALATE',
      props: edgeProps(
        `Anyone can invoke the Lambda function ${fn.name} (${g.how}), which runs with role ${role.split('/').pop()}: whoever can make its code act on their input acts as the role.`,
        'public-lambda',
        [...g.evidence, { type: 'inventory-record', summary: `${fn.name} runs with ${role}`, location: fn.id }],
        [...g.conditions, `the code of ${fn.name} can be made to act on the caller's input (an injection, a command or request it runs for them)`],
        { actions: g.actions, resource: fn.id },
      ),
    });
  }
}
