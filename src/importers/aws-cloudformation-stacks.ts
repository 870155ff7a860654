import { isObject } from '../model/fragment.js';
import { arnAccount, ids } from '../model/ids.js';
import { clean, InventoryBuilder, need, objectItems, str, tagMap, when } from './aws-inventory.js';
import { ImportError } from './errors.js';
import type { Importer } from './types.js';

// `aws cloudformation describe-stacks` ({Stacks: [{StackId, StackName, StackStatus, RoleARN?, Capabilities, …}]}):
// every stack of the account and region, each an aws_cfn_stack node that USES_ROLE its service role when it has
// one (updates and change sets then deploy with that role, whoever asks). Run without --stack-name, it is the
// account's stack inventory. Deleted stacks are skipped; parameter values and outputs are not kept (they may be
// secrets), only their keys.

const STACK_ARN = /^arn:aws[\w-]*:cloudformation:[\w-]+:\d{12}:stack\/[^/]+\/.+$/;

export const awsCloudFormationStacks: Importer = {
  format: 'aws-cloudformation-stacks',
  title: 'AWS CloudFormation stacks (describe-stacks)',
  provider: 'aws',
  producedBy: 'aws cloudformation describe-stacks (without --stack-name: the inventory)',
  emits: ['USES_ROLE'],
  detect(probe) {
    if (!probe.looksJson) return 0;
    if (/"Stacks"\s*:\s*\[/.test(probe.head) && (/"StackId"\s*:/.test(probe.head) || /"Stacks"\s*:\s*\[\s*\]/.test(probe.head))) return 0.95;
    return 0;
  },
  parse(input, ctx) {
    const file = input.fileName;
    const b = new InventoryBuilder(file, ctx);
    for (const { value, at } of objectItems(input, 'a describe-stacks output object')) {
      const stacks = value['Stacks'];
      if (!Array.isArray(stacks)) throw new ImportError(file, 'expected "Stacks" (describe-stacks)', at());
      const accounts = new Set<string>();
      stacks.forEach((s, i) => {
        const where = (...m: (string | number)[]) => at('Stacks', i, ...m);
        if (!isObject(s)) throw new ImportError(file, 'expected a stack object', where());
        const arn = need(file, s, 'StackId', where, STACK_ARN);
        const account = arnAccount(arn)!;
        accounts.add(account);
        const status = str(s, 'StackStatus');
        if (status === 'DELETE_COMPLETE') return;
        const name = str(s, 'StackName') ?? arn.split('/')[1]!;
        const role = str(s, 'RoleARN');
        const keys = (list: unknown, key: string) => (Array.isArray(list) ? list.filter(isObject).map((p) => p[key]).filter((k): k is string => typeof k === 'string') : undefined);
        b.resource({
          id: ids.awsArn(arn),
          kind: 'aws_cfn_stack',
          name,
          handles: [arn, name],
          boundary: ids.awsAccount(account),
          props: clean({
            stackName: name,
            region: arn.split(':')[3],
            status,
            roleArn: role,
            capabilities: Array.isArray(s['Capabilities']) ? s['Capabilities'].filter((c): c is string => typeof c === 'string') : undefined,
            parameterKeys: keys(s['Parameters'], 'ParameterKey'),
            outputKeys: keys(s['Outputs'], 'OutputKey'),
            createdAt: when(s['CreationTime']),
            tags: tagMap(s['Tags']),
            terminationProtection: typeof s['EnableTerminationProtection'] === 'boolean' ? s['EnableTerminationProtection'] : undefined,
          }),
        });
        if (role) b.usesRole(arn, role, where('RoleARN'));
      });
      if (typeof value['NextToken'] === 'string') b.fragment.warnings.push({ message: 'this output is one page of several (NextToken): stacks on later pages are missing', location: at('NextToken') });
      b.listing('aws_cfn_stack', b.listingAccounts(accounts, 'stack list', at('Stacks')));
    }
    return b.finish();
  },
};
