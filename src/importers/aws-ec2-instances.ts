import { isObject } from '../model/fragment.js';
import type { NodeFact } from '../model/fragment.js';
import { arnAccount, ids } from '../model/ids.js';
import { clean, InventoryBuilder, need, objectItems, regionOfZone, str, tagMap, when } from './aws-inventory.js';
import { ImportError } from './errors.js';
import type { Importer } from './types.js';

// EC2 instances and the instance profiles they run with:
//   aws ec2 describe-instances                         {Reservations: [{OwnerId, Instances: [{InstanceId, IamInstanceProfile?, Placement, State, …}]}]}
//   aws ec2 describe-iam-instance-profile-associations {IamInstanceProfileAssociations: [{InstanceId, IamInstanceProfile: {Arn, Id}, State}]}
// Both are inventories of the account's instances (the second of those with a profile). An instance is an
// aws_instance node (its ARN, from the reservation's owner and the placement's region) that USES_ROLE its
// instance profile; the profile's role comes from the IAM export. The associations output does not say the
// region: its instances are written as `aws:ec2-instance:<id>`, which describe-instances aliases to the ARN.
// Terminated instances are skipped. User data is never in these outputs.

const INSTANCE_ID = /^i-[0-9a-f]{8,17}$/;

export const awsEc2Instances: Importer = {
  format: 'aws-ec2-instances',
  title: 'AWS EC2 instances (describe-instances, describe-iam-instance-profile-associations)',
  provider: 'aws',
  producedBy: 'aws ec2 describe-instances; aws ec2 describe-iam-instance-profile-associations (both: the inventory of a region)',
  emits: ['USES_ROLE'],
  detect(probe) {
    if (!probe.looksJson) return 0;
    const h = probe.head;
    if (/"Reservations"\s*:\s*\[/.test(h) && (/"(InstanceId|OwnerId|ReservationId)"\s*:/.test(h) || /"Reservations"\s*:\s*\[\s*\]/.test(h))) return 0.95;
    if (/"IamInstanceProfileAssociations"\s*:\s*\[/.test(h)) return 0.95;
    return 0;
  },
  parse(input, ctx) {
    const file = input.fileName;
    const b = new InventoryBuilder(file, ctx);
    for (const { value, at } of objectItems(input, 'a describe-instances or describe-iam-instance-profile-associations output object')) {
      if (Array.isArray(value['Reservations'])) {
        const accounts = new Set<string>();
        value['Reservations'].forEach((r, i) => {
          if (!isObject(r)) throw new ImportError(file, 'expected a reservation object', at('Reservations', i));
          const owner = need(file, r, 'OwnerId', (...m) => at('Reservations', i, ...m), /^\d{12}$/);
          accounts.add(owner);
          const list = Array.isArray(r['Instances']) ? r['Instances'] : [];
          list.forEach((inst, j) => {
            const where = (...m: (string | number)[]) => at('Reservations', i, 'Instances', j, ...m);
            if (!isObject(inst)) throw new ImportError(file, 'expected an instance object', where());
            instance(b, inst, owner, where);
          });
        });
        if (typeof value['NextToken'] === 'string') b.fragment.warnings.push({ message: 'this output is one page of several (NextToken): instances on later pages are missing', location: at('NextToken') });
        b.listing('aws_instance', b.listingAccounts(accounts, 'instance list', at('Reservations')));
      } else if (Array.isArray(value['IamInstanceProfileAssociations'])) {
        const accounts = new Set<string>();
        value['IamInstanceProfileAssociations'].forEach((a, i) => {
          const where = (...m: (string | number)[]) => at('IamInstanceProfileAssociations', i, ...m);
          if (!isObject(a)) throw new ImportError(file, 'expected an association object', where());
          const id = need(file, a, 'InstanceId', where, INSTANCE_ID);
          const profile = isObject(a['IamInstanceProfile']) ? str(a['IamInstanceProfile'], 'Arn') : undefined;
          if (!profile) throw new ImportError(file, '"IamInstanceProfile.Arn" must be an instance profile ARN', where('IamInstanceProfile', 'Arn'));
          const account = arnAccount(profile);
          if (!account) throw new ImportError(file, `${JSON.stringify(profile)} is not an instance profile ARN`, where('IamInstanceProfile', 'Arn'));
          accounts.add(account);
          const state = str(a, 'State');
          if (state === 'disassociated' || state === 'disassociating') return;
          const node: NodeFact = { id: `aws:ec2-instance:${id}`, kind: 'aws_instance', name: id, handles: [id], boundary: ids.awsAccount(account), props: clean({ instanceId: id, arn: `arn:aws:ec2:*:${account}:instance/${id}`, instanceProfile: profile, associationState: state }) };
          b.resource(node);
          b.usesRole(node.id, profile, where('IamInstanceProfile', 'Arn'));
        });
        b.listing('aws_instance', b.listingAccounts(accounts, 'association list', at('IamInstanceProfileAssociations')));
      } else {
        throw new ImportError(file, 'expected "Reservations" (describe-instances) or "IamInstanceProfileAssociations" (describe-iam-instance-profile-associations)', at());
      }
    }
    return b.finish();
  },
};

function instance(b: InventoryBuilder, inst: Record<string, unknown>, owner: string, where: (...more: (string | number)[]) => string): void {
  const id = need(b.file, inst, 'InstanceId', where, INSTANCE_ID);
  const state = isObject(inst['State']) ? str(inst['State'], 'Name') : undefined;
  if (state === 'terminated' || state === 'shutting-down') return;
  const region = regionOfZone(isObject(inst['Placement']) ? inst['Placement']['AvailabilityZone'] : undefined);
  if (!region) b.fragment.warnings.push({ message: `instance ${id} has no Placement.AvailabilityZone: its region is not known (its ARN is written with region "*")`, location: where('Placement') });
  const arn = `arn:aws:ec2:${region ?? '*'}:${owner}:instance/${id}`;
  const tags = tagMap(inst['Tags']);
  const profile = isObject(inst['IamInstanceProfile']) ? str(inst['IamInstanceProfile'], 'Arn') : undefined;
  const metadata = isObject(inst['MetadataOptions']) ? inst['MetadataOptions'] : {};
  b.resource({
    id: ids.awsArn(arn),
    kind: 'aws_instance',
    name: tags?.['Name'] ? `${tags['Name']} (${id})` : id,
    handles: [arn, id, ...(tags?.['Name'] ? [tags['Name']] : [])],
    boundary: ids.awsAccount(owner),
    props: clean({
      instanceId: id,
      region,
      state,
      instanceType: str(inst, 'InstanceType'),
      instanceProfile: profile,
      publicIp: str(inst, 'PublicIpAddress'),
      imdsTokens: str(metadata, 'HttpTokens'),
      launchedAt: when(inst['LaunchTime']),
      tags,
    }),
  });
  b.fragment.aliases!.push({ from: `aws:ec2-instance:${id}`, to: arn });
  if (profile) b.usesRole(arn, profile, where('IamInstanceProfile', 'Arn'));
}
