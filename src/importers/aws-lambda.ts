import { isObject } from '../model/fragment.js';
import type { JsonObject } from '../model/fragment.js';
import { arnAccount, ids } from '../model/ids.js';
import { clean, InventoryBuilder, need, objectItems, str, tagMap } from './aws-inventory.js';
import { ImportError } from './errors.js';
import type { Importer } from './types.js';

// Lambda functions as the CLI prints them:
//   aws lambda list-functions                      {Functions: [FunctionConfiguration…], NextMarker?}   (the inventory)
//   aws lambda get-function --function-name F      {Configuration: FunctionConfiguration, Code, Tags?, Concurrency?}
//   aws lambda get-function-configuration          FunctionConfiguration itself
//   aws lambda get-function-url-config             {FunctionUrl, FunctionArn, AuthType, Cors?, CreationTime, …}
//   aws lambda list-function-url-configs           {FunctionUrlConfigs: […]}
// A function becomes an aws_lambda node (its ARN without a version qualifier) that USES_ROLE its execution role.
// list-functions is the account's function inventory: with it in the case, a function it does not list does not
// exist. Environment variable values are never kept, only their names.

const FUNCTION_ARN = /^arn:aws[\w-]*:lambda:[\w-]+:\d{12}:function:[\w-]+(:[\w$-]+)?$/;

export const awsLambda: Importer = {
  format: 'aws-lambda',
  title: 'AWS Lambda functions (list-functions, get-function, function URL configs)',
  provider: 'aws',
  producedBy: 'aws lambda list-functions (the inventory); aws lambda get-function / get-function-configuration; aws lambda get-function-url-config / list-function-url-configs',
  emits: ['USES_ROLE'],
  detect(probe) {
    if (!probe.looksJson) return 0;
    const h = probe.head;
    if (/"Functions"\s*:\s*\[/.test(h) && (/"FunctionArn"\s*:/.test(h) || /"Functions"\s*:\s*\[\s*\]/.test(h))) return 0.95;
    if (/"FunctionUrlConfigs"\s*:\s*\[/.test(h)) return 0.95;
    if (/"FunctionUrl"\s*:/.test(h) && /"AuthType"\s*:/.test(h)) return 0.9;
    if (/"FunctionArn"\s*:\s*"arn:[\w-]+:lambda:/.test(h) && /"(Role|Runtime|PackageType|Handler)"\s*:/.test(h)) return 0.85;
    return 0;
  },
  parse(input, ctx) {
    const file = input.fileName;
    const b = new InventoryBuilder(file, ctx);
    for (const { value, at } of objectItems(input, 'a list-functions, get-function or function URL config output object')) {
      if (Array.isArray(value['Functions'])) {
        const accounts = new Set<string>();
        value['Functions'].forEach((fn, i) => {
          if (!isObject(fn)) throw new ImportError(file, 'expected a function configuration object', at('Functions', i));
          const node = fnNode(b, fn, (...m) => at('Functions', i, ...m));
          accounts.add(node.boundary!.slice('aws:account:'.length));
        });
        if (typeof value['NextMarker'] === 'string') b.fragment.warnings.push({ message: 'this output is one page of several (NextMarker): functions on later pages are missing; run the command without --max-items', location: at('NextMarker') });
        b.listing('aws_lambda', b.listingAccounts(accounts, 'function list', at('Functions')));
      } else if (isObject(value['Configuration'])) {
        const node = fnNode(b, value['Configuration'], (...m) => at('Configuration', ...m));
        const tags = tagMap(value['Tags']);
        if (tags) node.props = { ...node.props, tags };
      } else if (Array.isArray(value['FunctionUrlConfigs'])) {
        value['FunctionUrlConfigs'].forEach((u, i) => {
          if (!isObject(u)) throw new ImportError(file, 'expected a function URL config object', at('FunctionUrlConfigs', i));
          urlConfig(b, u, (...m) => at('FunctionUrlConfigs', i, ...m));
        });
      } else if (typeof value['FunctionUrl'] === 'string') {
        urlConfig(b, value, at);
      } else if (typeof value['FunctionArn'] === 'string') {
        fnNode(b, value, at);
      } else {
        throw new ImportError(file, 'expected "Functions" (list-functions), "Configuration" (get-function), "FunctionUrlConfigs" or "FunctionUrl" (function URL configs), or a function configuration with "FunctionArn"', at());
      }
    }
    return b.finish();
  },
};

/** The function's ARN without a version or alias qualifier: one node per function. */
function unqualified(arn: string): string {
  const parts = arn.split(':');
  return parts.slice(0, 7).join(':');
}

function fnNode(b: InventoryBuilder, fn: Record<string, unknown>, at: (...more: (string | number)[]) => string) {
  const arn = unqualified(need(b.file, fn, 'FunctionArn', at, FUNCTION_ARN));
  const account = arnAccount(arn)!;
  const name = str(fn, 'FunctionName') ?? arn.split(':')[6]!;
  const env = isObject(fn['Environment']) && isObject(fn['Environment']['Variables']) ? Object.keys(fn['Environment']['Variables']) : undefined;
  const role = str(fn, 'Role');
  const props = clean({
    functionName: name,
    region: arn.split(':')[3],
    runtime: str(fn, 'Runtime'),
    handler: str(fn, 'Handler'),
    packageType: str(fn, 'PackageType'),
    lastModified: str(fn, 'LastModified'),
    role,
    // Names only: values are often secrets.
    environmentVariableNames: env,
    inVpc: isObject(fn['VpcConfig']) && typeof fn['VpcConfig']['VpcId'] === 'string' && fn['VpcConfig']['VpcId'] !== '' ? true : undefined,
  });
  const node = b.resource({ id: ids.awsArn(arn), kind: 'aws_lambda', name, handles: [arn, name], boundary: ids.awsAccount(account), props });
  if (role) b.usesRole(arn, role, at('Role'));
  return node;
}

function urlConfig(b: InventoryBuilder, u: Record<string, unknown>, at: (...more: (string | number)[]) => string): void {
  const arn = unqualified(need(b.file, u, 'FunctionArn', at, FUNCTION_ARN));
  const authType = need(b.file, u, 'AuthType', at);
  if (authType !== 'NONE' && authType !== 'AWS_IAM') throw new ImportError(b.file, `"AuthType" must be NONE or AWS_IAM, not ${JSON.stringify(authType)}`, at('AuthType'));
  const url: JsonObject = clean({ url: str(u, 'FunctionUrl'), authType, invokeMode: str(u, 'InvokeMode'), at: at() });
  const name = arn.split(':')[6]!;
  b.resource({ id: ids.awsArn(arn), kind: 'aws_lambda', name, handles: [arn, name], boundary: ids.awsAccount(arnAccount(arn)!), stub: true, props: { functionUrl: url } });
}
