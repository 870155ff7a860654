// Which sources of a case a newly imported file replaces, for `plan-impact` ("what would this file change"). A plain
// import replaces only the same file (same path) or the same content, so a newer export saved under another name
// would sit beside the older one and nothing would ever look removed. plan-impact applies an explicit rule on top:
//
//  1. A Terraform plan replaces the state it was planned against (its prior state's resource addresses match the
//     state source's, as the importer records them in the source's meta), and a Terraform source replaces an
//     earlier one of the same state lineage (a newer `terraform.tfstate` of the same state).
//  2. A whole-scope export (a format listed below: one file is the whole of an account's IAM, a cluster's RBAC…)
//     replaces earlier sources of the same format whose scope — the boundaries (accounts, clusters, projects,
//     tenants) of the nodes they describe in full — it covers entirely. A GAAD of account 111 replaces an older GAAD
//     of account 111; it never replaces a GAAD of 222, nor one of 111 and 222 together.
//  3. Anything else (one bucket's policy, one user's keys, scanner reports, activity logs) only adds, unless named
//     explicitly (`replaces`).
import { planReplaces } from '../../importers/terraform/meta.js';
import type { CaseStore, SourceRow } from '../../store/case-store.js';

/** Formats whose one file describes whole boundaries: a newer one supersedes an older one of the same scope. */
export const WHOLE_SCOPE_FORMATS: ReadonlySet<string> = new Set([
  'aws-gaad',
  'aws-credential-report',
  'aws-organizations-scp',
  'kubernetes',
  'azure-entra-apps',
  'azure-rbac',
  'gcp-asset-inventory',
  'gcp-service-accounts',
  'eks-pod-identity',
  'bloodhound-opengraph',
  'bloodhound-sharphound',
]);

export interface Replacement {
  source: SourceRow;
  rule: string;
}

/** Rule 1: the Terraform state `s` that the Terraform source `me` supersedes, described in words, or undefined. */
function sameTerraformState(me: SourceRow, s: SourceRow): string | undefined {
  if (planReplaces(me.meta, s.meta)) return 'the plan was made against this state';
  const lineage = (m: SourceRow) => {
    const t = m.meta['terraform'];
    const l = t && typeof t === 'object' && !Array.isArray(t) ? t['lineage'] : undefined;
    return typeof l === 'string' && l ? l : undefined;
  };
  const mine = lineage(me);
  return mine && mine === lineage(s) ? `the same Terraform state (lineage ${mine})` : undefined;
}

/**
 * The sources (other than `skip`) that the new source replaces under rules 1–3, plus those named in `named` (source
 * ids or file names), each with the rule that applied.
 */
export function scopeReplacements(store: CaseStore, source: { id: number; format: string }, skip: ReadonlySet<number>, named: readonly string[] = []): Replacement[] {
  const all = store.sources();
  const me = all.find((s) => s.id === source.id);
  if (!me) return [];
  const out: Replacement[] = [];
  let scope: Set<string> | undefined;
  for (const s of all) {
    if (s.id === source.id || skip.has(s.id)) continue;
    if (named.some((n) => n === String(s.id) || n === s.fileName || n === s.label)) {
      out.push({ source: s, rule: 'named with --replaces' });
      continue;
    }
    const terraform = sameTerraformState(me, s);
    if (terraform) {
      out.push({ source: s, rule: terraform });
      continue;
    }
    if (s.format !== source.format || !WHOLE_SCOPE_FORMATS.has(s.format)) continue;
    const theirs = store.sourceScope(s.id);
    if (!theirs.length) continue;
    scope ??= new Set(store.sourceScope(source.id));
    if (theirs.every((b) => scope!.has(b))) out.push({ source: s, rule: `same format (${s.format}) and scope (${theirs.join(', ')})` });
  }
  return out;
}
