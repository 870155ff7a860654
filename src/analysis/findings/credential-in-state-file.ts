import { reads } from '../reads.js';
import { isActive, KEY_KINDS, label, nodesOf } from './common.js';
import type { FindingDraft, FindingRule } from './types.js';

/**
 * Terraform state files hold the secrets of the keys they create in clear (aws_iam_access_key.secret, a service-account
 * key's private_key, an application password's value): whoever reads the state — a bucket, a repository, a CI cache —
 * holds the key. The Terraform importer never reads the secret; it records that the file had it (secretInState).
 */
export const credentialInStateFile: FindingRule = {
  id: 'credential-in-state-file',
  title: 'Key secret held in clear in a Terraform state',
  severity: 'high',
  description: 'An active key whose secret the imported Terraform state (or plan) holds in clear.',
  // Each key's own props: a key is judged alone.
  reads: reads({ nodes: KEY_KINDS, perBoundary: {} }),
  remediation: 'Rotate the key and keep its successor out of state: create keys outside Terraform or with pgp_key (encrypted_secret), or move to short-lived credentials; restrict and encrypt the state backend, and find where copies of the state went.',
  run(ctx) {
    const out: FindingDraft[] = [];
    for (const n of nodesOf(ctx, KEY_KINDS)) {
      if (n.props['secretInState'] !== true || !isActive(n)) continue;
      const address = typeof n.props['terraformAddress'] === 'string' ? n.props['terraformAddress'] : undefined;
      out.push({
        nodeId: n.id,
        title: `The secret of ${label(n)} is in a Terraform state`,
        summary: `The Terraform file that declares ${label(n)}${address ? ` (${address})` : ''} holds its secret in clear; anyone who can read that file can use the key.`,
        evidence: [{ type: 'node-props', summary: `${label(n)}: secretInState${address ? `, ${address}` : ''}`, ...(typeof n.props['at'] === 'string' ? { location: n.props['at'] } : {}), data: { secretInState: true, ...(address ? { terraformAddress: address } : {}) } }],
      });
    }
    return out;
  },
};
