import { isObject } from '../model/fragment.js';
import { arnAccount, ids } from '../model/ids.js';
import { clean, InventoryBuilder, need, objectItems, str, tagMap, when } from './aws-inventory.js';
import { ImportError } from './errors.js';
import type { Importer } from './types.js';

// `aws ecs describe-task-definition --task-definition F[:R]` ({taskDefinition: {taskDefinitionArn, family,
// revision, taskRoleArn?, executionRoleArn?, containerDefinitions, …}, tags}), one per task definition (several
// outputs one after another, or a JSON array of them): each an aws_ecs_task_definition node that USES_ROLE its
// task role (what code in its containers runs as). The file is read as the account's task-definition inventory.
// Container environment values and secrets' sources are not kept, only names.

const TASK_DEFINITION_ARN = /^arn:aws[\w-]*:ecs:[\w-]+:\d{12}:task-definition\/.+$/;

export const awsEcs: Importer = {
  format: 'aws-ecs-task-definitions',
  title: 'AWS ECS task definitions (describe-task-definition)',
  provider: 'aws',
  producedBy: 'aws ecs describe-task-definition, once per task definition (the inventory)',
  emits: ['USES_ROLE'],
  detect(probe) {
    if (!probe.looksJson) return 0;
    if (/"taskDefinition"\s*:\s*\{/.test(probe.head) && /"taskDefinitionArn"\s*:/.test(probe.head)) return 0.95;
    return 0;
  },
  parse(input, ctx) {
    const file = input.fileName;
    const b = new InventoryBuilder(file, ctx);
    const accounts = new Set<string>();
    for (const { value, at } of objectItems(input, 'a describe-task-definition output object')) {
      const td = value['taskDefinition'];
      if (!isObject(td)) throw new ImportError(file, 'expected "taskDefinition" (describe-task-definition)', at());
      const where = (...m: (string | number)[]) => at('taskDefinition', ...m);
      const arn = need(file, td, 'taskDefinitionArn', where, TASK_DEFINITION_ARN);
      const account = arnAccount(arn)!;
      accounts.add(account);
      const family = str(td, 'family') ?? arn.split('/').pop()!.split(':')[0]!;
      const revision = typeof td['revision'] === 'number' ? td['revision'] : undefined;
      const containers = Array.isArray(td['containerDefinitions']) ? td['containerDefinitions'].filter(isObject) : [];
      const taskRole = str(td, 'taskRoleArn');
      b.resource({
        id: ids.awsArn(arn),
        kind: 'aws_ecs_task_definition',
        name: revision !== undefined ? `${family}:${revision}` : family,
        handles: [arn, family],
        boundary: ids.awsAccount(account),
        props: clean({
          family,
          revision,
          region: arn.split(':')[3],
          status: str(td, 'status'),
          taskRole,
          executionRole: str(td, 'executionRoleArn'),
          networkMode: str(td, 'networkMode'),
          compatibilities: Array.isArray(td['compatibilities']) ? td['compatibilities'].filter((c): c is string => typeof c === 'string') : undefined,
          containers: containers.map((c) => clean({ name: typeof c['name'] === 'string' ? c['name'] : undefined, image: typeof c['image'] === 'string' ? c['image'] : undefined, privileged: c['privileged'] === true ? true : undefined, environmentNames: Array.isArray(c['environment']) ? c['environment'].filter(isObject).map((e) => e['name']).filter((n): n is string => typeof n === 'string') : undefined })),
          registeredAt: when(td['registeredAt']),
          tags: tagMap(value['tags']),
        }),
      });
      // The task role is what the containers' code runs as; the execution role only pulls images and secrets.
      if (taskRole) b.usesRole(arn, taskRole, where('taskRoleArn'));
    }
    b.listing('aws_ecs_task_definition', accounts);
    return b.finish();
  },
};
