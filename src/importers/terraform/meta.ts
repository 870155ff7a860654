import { createHash } from 'node:crypto';
import type { Json, JsonObject } from '../../model/fragment.js';
import type { TerraformDocument } from './read.js';

// What a Terraform source is, stored as the source's metadata (sources.meta.terraform), so a comparison can tell a
// plan from a state and find the state a plan changes: a plan's priorStateDigest is the addressDigest of the state
// it was planned against (the sorted addresses of its managed resources; data sources excluded), whichever of
// `terraform show -json`, a plan's prior_state or the raw terraform.tfstate described that state.

export interface TerraformSourceMeta {
  document: 'plan' | 'state' | 'tfstate';
  /** What the imported graph shows: a plan imports as the state after apply. */
  describes: 'after-apply' | 'state';
  formatVersion?: string;
  terraformVersion?: string;
  resources: number;
  addressDigest: string;
  priorStateDigest?: string;
  priorStateResources?: number;
  /** Plan only: resource changes per action (create, update, replace, delete, no-op). */
  actions?: Record<string, number>;
  lineage?: string;
  serial?: number;
}

export function addressDigest(addresses: readonly string[]): string {
  return createHash('sha256').update([...new Set(addresses)].sort().join('\n')).digest('hex');
}

export function terraformMeta(doc: TerraformDocument): TerraformSourceMeta {
  const meta: TerraformSourceMeta = {
    document: doc.kind,
    describes: doc.kind === 'plan' ? 'after-apply' : 'state',
    resources: doc.instances.length,
    addressDigest: addressDigest(doc.instances.map((i) => i.address)),
    ...(doc.formatVersion ? { formatVersion: doc.formatVersion } : {}),
    ...(doc.terraformVersion ? { terraformVersion: doc.terraformVersion } : {}),
    ...(doc.lineage ? { lineage: doc.lineage } : {}),
    ...(doc.serial !== undefined ? { serial: doc.serial } : {}),
  };
  if (doc.kind === 'plan') {
    meta.priorStateDigest = addressDigest(doc.priorAddresses ?? []);
    meta.priorStateResources = new Set(doc.priorAddresses ?? []).size;
    meta.actions = doc.actions ?? {};
  }
  return meta;
}

/** Whether a plan (its source meta) was planned against the state another source holds: the plan replaces it. */
export function planReplaces(plan: JsonObject | undefined, state: JsonObject | undefined): boolean {
  const p = terraformOf(plan);
  const s = terraformOf(state);
  if (!p || !s || p['document'] !== 'plan' || s['document'] === 'plan') return false;
  return typeof p['priorStateDigest'] === 'string' && p['priorStateDigest'] === s['addressDigest'] && Number(p['priorStateResources']) > 0;
}

function terraformOf(meta: JsonObject | undefined): Record<string, Json> | undefined {
  const t = meta?.['terraform'];
  return typeof t === 'object' && t !== null && !Array.isArray(t) ? t : undefined;
}
