import { isObject } from '../model/fragment.js';
import { arnAccount, ids } from '../model/ids.js';
import { clean, InventoryBuilder, need, objectItems, str, tagMap, when } from './aws-inventory.js';
import { ImportError } from './errors.js';
import type { Importer } from './types.js';

// `aws codebuild batch-get-projects --names …` ({projects: [{name, arn, serviceRole, source, environment, …}],
// projectsNotFound}): each project an aws_codebuild_project node that USES_ROLE its service role (a build started
// with an overridden buildspec runs with it). Given every name of `list-projects`, it is the account's project
// inventory. The buildspec text and environment variable values are not kept (they may hold secrets).

const PROJECT_ARN = /^arn:aws[\w-]*:codebuild:[\w-]+:\d{12}:project\/.+$/;

export const awsCodebuild: Importer = {
  format: 'aws-codebuild-projects',
  title: 'AWS CodeBuild projects (batch-get-projects)',
  provider: 'aws',
  producedBy: 'aws codebuild batch-get-projects --names $(aws codebuild list-projects --query projects --output text) (the inventory)',
  emits: ['USES_ROLE'],
  detect(probe) {
    if (!probe.looksJson) return 0;
    const h = probe.head;
    if (/"projectsNotFound"\s*:/.test(h)) return 0.95;
    if (/"projects"\s*:\s*\[/.test(h) && /"arn"\s*:\s*"arn:[\w-]+:codebuild:/.test(h)) return 0.95;
    return 0;
  },
  parse(input, ctx) {
    const file = input.fileName;
    const b = new InventoryBuilder(file, ctx);
    for (const { value, at } of objectItems(input, 'a batch-get-projects output object')) {
      const projects = value['projects'];
      if (!Array.isArray(projects)) throw new ImportError(file, 'expected "projects" (batch-get-projects)', at());
      const accounts = new Set<string>();
      projects.forEach((p, i) => {
        const where = (...m: (string | number)[]) => at('projects', i, ...m);
        if (!isObject(p)) throw new ImportError(file, 'expected a project object', where());
        const arn = need(file, p, 'arn', where, PROJECT_ARN);
        const account = arnAccount(arn)!;
        accounts.add(account);
        const name = str(p, 'name') ?? arn.split('/').pop()!;
        const role = str(p, 'serviceRole');
        const env = isObject(p['environment']) ? p['environment'] : {};
        const source = isObject(p['source']) ? p['source'] : {};
        const vars = Array.isArray(env['environmentVariables']) ? env['environmentVariables'].filter(isObject).map((v) => v['name']).filter((n): n is string => typeof n === 'string') : undefined;
        b.resource({
          id: ids.awsArn(arn),
          kind: 'aws_codebuild_project',
          name,
          handles: [arn, name],
          boundary: ids.awsAccount(account),
          props: clean({
            projectName: name,
            region: arn.split(':')[3],
            role,
            sourceType: str(source, 'type'),
            sourceLocation: str(source, 'location'),
            privilegedMode: typeof env['privilegedMode'] === 'boolean' ? env['privilegedMode'] : undefined,
            image: str(env, 'image'),
            environmentVariableNames: vars,
            createdAt: when(p['created']),
            tags: tagMap(p['tags']),
          }),
        });
        if (role) b.usesRole(arn, role, where('serviceRole'));
      });
      b.listing('aws_codebuild_project', b.listingAccounts(accounts, 'project list', at('projects')));
      const missing = Array.isArray(value['projectsNotFound']) ? value['projectsNotFound'] : [];
      if (missing.length) b.fragment.warnings.push({ message: `${missing.length} project name(s) were not found: ${missing.slice(0, 5).join(', ')}`, location: at('projectsNotFound') });
    }
    return b.finish();
  },
};
