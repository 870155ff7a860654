import { isObject } from '../model/fragment.js';
import { arnAccount, ids } from '../model/ids.js';
import { clean, InventoryBuilder, need, objectItems, str, when } from './aws-inventory.js';
import { ImportError } from './errors.js';
import type { Importer } from './types.js';

// SageMaker notebook instances:
//   aws sagemaker list-notebook-instances        {NotebookInstances: [{NotebookInstanceName, NotebookInstanceArn, …}]}
//                                                 — the inventory; it does not say which role a notebook runs with
//   aws sagemaker describe-notebook-instance     {NotebookInstanceArn, RoleArn, RootAccess, DirectInternetAccess, …}
// Each is an aws_sagemaker_notebook node; describe-notebook-instance adds USES_ROLE to its execution role.

const NOTEBOOK_ARN = /^arn:aws[\w-]*:sagemaker:[\w-]+:\d{12}:notebook-instance\/.+$/;

export const awsSagemaker: Importer = {
  format: 'aws-sagemaker-notebooks',
  title: 'AWS SageMaker notebook instances (list-notebook-instances, describe-notebook-instance)',
  provider: 'aws',
  producedBy: 'aws sagemaker list-notebook-instances (the inventory); aws sagemaker describe-notebook-instance (each notebook\'s role)',
  emits: ['USES_ROLE'],
  detect(probe) {
    if (!probe.looksJson) return 0;
    if (/"NotebookInstances"\s*:\s*\[/.test(probe.head)) return 0.95;
    if (/"NotebookInstanceArn"\s*:/.test(probe.head) && /"NotebookInstanceStatus"\s*:/.test(probe.head)) return 0.9;
    return 0;
  },
  parse(input, ctx) {
    const file = input.fileName;
    const b = new InventoryBuilder(file, ctx);
    for (const { value, at } of objectItems(input, 'a list-notebook-instances or describe-notebook-instance output object')) {
      if (Array.isArray(value['NotebookInstances'])) {
        const accounts = new Set<string>();
        value['NotebookInstances'].forEach((n, i) => {
          if (!isObject(n)) throw new ImportError(file, 'expected a notebook instance summary object', at('NotebookInstances', i));
          accounts.add(notebook(b, n, (...m) => at('NotebookInstances', i, ...m)));
        });
        if (typeof value['NextToken'] === 'string') b.fragment.warnings.push({ message: 'this output is one page of several (NextToken): notebooks on later pages are missing', location: at('NextToken') });
        b.listing('aws_sagemaker_notebook', b.listingAccounts(accounts, 'notebook list', at('NotebookInstances')));
      } else if (typeof value['NotebookInstanceArn'] === 'string') {
        notebook(b, value, at);
      } else {
        throw new ImportError(file, 'expected "NotebookInstances" (list-notebook-instances) or "NotebookInstanceArn" (describe-notebook-instance)', at());
      }
    }
    return b.finish();
  },
};

function notebook(b: InventoryBuilder, n: Record<string, unknown>, at: (...more: (string | number)[]) => string): string {
  const arn = need(b.file, n, 'NotebookInstanceArn', at, NOTEBOOK_ARN);
  const account = arnAccount(arn)!;
  const name = str(n, 'NotebookInstanceName') ?? arn.split('/').pop()!;
  const role = str(n, 'RoleArn');
  b.resource({
    id: ids.awsArn(arn),
    kind: 'aws_sagemaker_notebook',
    name,
    handles: [arn, name],
    boundary: ids.awsAccount(account),
    props: clean({
      notebookName: name,
      region: arn.split(':')[3],
      status: str(n, 'NotebookInstanceStatus'),
      instanceType: str(n, 'InstanceType'),
      role,
      rootAccess: str(n, 'RootAccess'),
      directInternetAccess: str(n, 'DirectInternetAccess'),
      lifecycleConfig: str(n, 'NotebookInstanceLifecycleConfigName'),
      url: str(n, 'Url'),
      createdAt: when(n['CreationTime']),
    }),
  });
  if (role) b.usesRole(arn, role, at('RoleArn'));
  return account;
}
