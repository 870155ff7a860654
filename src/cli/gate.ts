// `--fail-on` for CI: a comparison that trips a gate still prints its output, then exits with EXIT.gate (3).
import type { CaseDiff } from '../api/contract.js';
import { UsageError } from './shared.js';

export const GATES = ['new-admin-path', 'new-critical', 'new-high'] as const;
export type Gate = (typeof GATES)[number];

export function parseGates(value: string | undefined): Gate[] {
  if (value === undefined) return [];
  const list = value.split(',').map((s) => s.trim()).filter(Boolean);
  for (const g of list) if (!(GATES as readonly string[]).includes(g)) throw new UsageError(`--fail-on takes ${GATES.join(', ')} (comma-separated), not '${g}'`);
  return list as Gate[];
}

/** The gates that tripped, each with a sentence saying why. */
export function trippedGates(diff: CaseDiff, gates: readonly Gate[]): string[] {
  const s = diff.summary;
  const out: string[] = [];
  for (const g of gates) {
    if (g === 'new-admin-path' && s.paths.newAdminPaths > 0) out.push(`new-admin-path: ${s.paths.newAdminPaths} new origin–admin path(s), from ${s.paths.newAdminOrigins} origin(s)`);
    const critical = s.findings.newBySeverity.critical ?? 0;
    const high = s.findings.newBySeverity.high ?? 0;
    if (g === 'new-critical' && critical > 0) out.push(`new-critical: ${critical} new critical finding(s)`);
    if (g === 'new-high' && critical + high > 0) out.push(`new-high: ${critical + high} new finding(s) of high severity or above`);
  }
  return out;
}
