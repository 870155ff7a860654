// The reachers answer in the contract's shape: summaries from the index, direct reachers first.
import { reachers, type ReachersOptions } from '../analysis/reachers.js';
import type { AnalysisViews } from './analysis.js';
import type { Reacher, Reachers } from './contract.js';

export function reachersView(views: AnalysisViews, id: string, opts: ReachersOptions, limit = 1000): Reachers {
  const started = performance.now();
  const ix = views.index;
  const target = views.nodeIndex(id);
  const r = reachers(ix, target, opts);
  const found: { v: number; reacher: Omit<Reacher, 'node'> }[] = [];
  const counts = { identities: 0, credentials: 0, direct: 0, throughAdmin: 0, onlyThroughAdmin: 0 };
  const d = r.direct;
  const a = r.viaAdmin;
  for (let v = 0; v < ix.n; v++) {
    if (v === target || v === r.admin) continue;
    const cat = ix.categoryOf(v);
    if (cat !== 'identity' && cat !== 'credential') continue;
    const direct = d.depth[v]! > 0;
    const throughAdmin = a !== undefined && a.depth[v]! > 0;
    if (!direct && !throughAdmin) continue;
    if (cat === 'identity') counts.identities++;
    else counts.credentials++;
    if (direct) counts.direct++;
    if (throughAdmin) counts.throughAdmin++;
    if (throughAdmin && !direct) counts.onlyThroughAdmin++;
    // Through admin is one step more than reaching the admin node.
    const depth = direct ? d.depth[v]! - 1 : a!.depth[v]!;
    const conditional = !(direct && d.firm[v]) && !(throughAdmin && a!.firm[v]);
    found.push({ v, reacher: { depth, paths: direct ? d.routes[v]! : 0, adminPaths: throughAdmin ? a!.routes[v]! : 0, direct, throughAdmin, conditional } });
  }
  found.sort((x, y) => Number(y.reacher.direct) - Number(x.reacher.direct) || x.reacher.depth - y.reacher.depth || y.reacher.paths - x.reacher.paths || y.reacher.adminPaths - x.reacher.adminPaths || ix.id(x.v).localeCompare(ix.id(y.v)));
  const list = found.slice(0, limit).map(({ v, reacher }) => ({ node: views.summary(v), ...reacher }));
  return {
    target: views.summary(target),
    ...(r.admin >= 0 && a ? { admin: views.summary(r.admin) } : {}),
    reachers: list,
    counts,
    truncated: found.length > limit,
    elapsedMs: performance.now() - started,
  };
}
