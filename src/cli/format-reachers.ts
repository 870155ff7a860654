import type { Reachers } from '../api/contract.js';
import { label } from './format.js';

// Plain-text output of `blastmap reachers`.

export function formatReachers(r: Reachers): string {
  const c = r.counts;
  const lines = [`who can reach ${label(r.target)}`];
  lines.push(`  ${c.identities} identities and ${c.credentials} credentials: ${c.direct} directly, ${c.throughAdmin} through ${r.admin ? label(r.admin) : 'an admin node'}${c.onlyThroughAdmin ? ` (${c.onlyThroughAdmin} only that way)` : ''}`);
  if (!r.reachers.length) lines.push('  nobody');
  for (const x of r.reachers) {
    const how = x.direct ? `${x.depth} step(s), ${x.paths} shortest route(s)${x.throughAdmin ? `; also through admin (${x.adminPaths})` : ''}` : `through admin: ${x.depth} step(s), ${x.adminPaths} route(s) to admin`;
    lines.push(`  ${label(x.node)}  ${how}${x.conditional ? ' (conditional)' : ''}`);
  }
  if (r.truncated) lines.push(`  … more (the counts above are complete; raise --limit or use --json)`);
  return `${lines.join('\n')}\n`;
}
