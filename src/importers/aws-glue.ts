import { isObject } from '../model/fragment.js';
import { arnAccount, ids } from '../model/ids.js';
import { clean, InventoryBuilder, need, objectItems, regionOfZone, str, when } from './aws-inventory.js';
import { ImportError } from './errors.js';
import type { Importer } from './types.js';

// Glue development endpoints:
//   aws glue get-dev-endpoints                   {DevEndpoints: [{EndpointName, RoleArn, Status, AvailabilityZone, …}], NextToken?}   (the inventory)
//   aws glue get-dev-endpoint --endpoint-name E  {DevEndpoint: {…}}
// An endpoint is an aws_glue_dev_endpoint node that USES_ROLE its role (whoever adds an SSH key runs as it). The
// output carries no ARN: the account is the role's, the region the availability zone's (else "*", with a
// warning). Public keys and arguments are not kept.

export const awsGlue: Importer = {
  format: 'aws-glue-dev-endpoints',
  title: 'AWS Glue development endpoints (get-dev-endpoints, get-dev-endpoint)',
  provider: 'aws',
  producedBy: 'aws glue get-dev-endpoints (the inventory); aws glue get-dev-endpoint',
  emits: ['USES_ROLE'],
  detect(probe) {
    if (!probe.looksJson) return 0;
    if (/"DevEndpoints"\s*:\s*\[/.test(probe.head)) return 0.95;
    if (/"DevEndpoint"\s*:\s*\{/.test(probe.head) && /"EndpointName"\s*:/.test(probe.head)) return 0.95;
    return 0;
  },
  parse(input, ctx) {
    const file = input.fileName;
    const b = new InventoryBuilder(file, ctx);
    for (const { value, at } of objectItems(input, 'a get-dev-endpoints or get-dev-endpoint output object')) {
      if (Array.isArray(value['DevEndpoints'])) {
        const accounts = new Set<string>();
        value['DevEndpoints'].forEach((e, i) => {
          if (!isObject(e)) throw new ImportError(file, 'expected a dev endpoint object', at('DevEndpoints', i));
          accounts.add(endpoint(b, e, (...m) => at('DevEndpoints', i, ...m)));
        });
        if (typeof value['NextToken'] === 'string') b.fragment.warnings.push({ message: 'this output is one page of several (NextToken): endpoints on later pages are missing', location: at('NextToken') });
        b.listing('aws_glue_dev_endpoint', b.listingAccounts(accounts, 'endpoint list', at('DevEndpoints')));
      } else if (isObject(value['DevEndpoint'])) {
        endpoint(b, value['DevEndpoint'], (...m) => at('DevEndpoint', ...m));
      } else {
        throw new ImportError(file, 'expected "DevEndpoints" (get-dev-endpoints) or "DevEndpoint" (get-dev-endpoint)', at());
      }
    }
    return b.finish();
  },
};

function endpoint(b: InventoryBuilder, e: Record<string, unknown>, at: (...more: (string | number)[]) => string): string {
  const name = need(b.file, e, 'EndpointName', at);
  const role = need(b.file, e, 'RoleArn', at, /^arn:aws[\w-]*:iam::\d{12}:role\/.+$/);
  const account = arnAccount(role)!;
  const region = regionOfZone(e['AvailabilityZone']);
  if (!region) b.fragment.warnings.push({ message: `endpoint ${name} has no AvailabilityZone: its region is not known (its ARN is written with region "*")`, location: at('AvailabilityZone') });
  const arn = `arn:aws:glue:${region ?? '*'}:${account}:devEndpoint/${name}`;
  b.resource({
    id: ids.awsArn(arn),
    kind: 'aws_glue_dev_endpoint',
    name,
    handles: [arn, name],
    boundary: ids.awsAccount(account),
    props: clean({
      endpointName: name,
      region,
      role,
      status: str(e, 'Status'),
      publicAddress: str(e, 'PublicAddress'),
      privateAddress: str(e, 'PrivateAddress'),
      glueVersion: str(e, 'GlueVersion'),
      createdAt: when(e['CreatedTimestamp']),
      // How many SSH keys it accepts, not the keys.
      publicKeyCount: Array.isArray(e['PublicKeys']) ? e['PublicKeys'].length : typeof e['PublicKey'] === 'string' ? 1 : undefined,
    }),
  });
  b.usesRole(arn, role, at('RoleArn'));
  return account;
}
