import { useMemo } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { boundaryLabel, kindLabel } from '../format';
import { boundaryOf } from '../graph/aggregate';
import { providerColor } from '../graph/palette';
import { useApp, useAppStore } from '../store';
import type { FilterDimension } from '../store/ui-slice';

/** Filters over what is on the canvas: kinds, providers, boundaries, conditional edges. */
export function Filters() {
  const store = useAppStore();
  const { nodes, edges, filters } = useApp(useShallow((s) => ({ nodes: s.nodes, edges: s.edges, filters: s.filters })));
  const facets = useMemo(() => {
    const kinds = new Map<string, number>();
    const providers = new Map<string, number>();
    const boundaries = new Map<string, number>();
    for (const n of Object.values(nodes)) {
      kinds.set(n.kind, (kinds.get(n.kind) ?? 0) + 1);
      providers.set(n.provider, (providers.get(n.provider) ?? 0) + 1);
      const b = boundaryOf(n);
      if (b) boundaries.set(b, (boundaries.get(b) ?? 0) + 1);
    }
    const conditional = Object.values(edges).filter((e) => e.conditional).length;
    return { kinds, providers, boundaries, conditional };
  }, [nodes, edges]);
  const s = store.getState();
  const hidden = (d: FilterDimension, v: string) => (d === 'kind' ? filters.hiddenKinds : d === 'provider' ? filters.hiddenProviders : filters.hiddenBoundaries).includes(v);
  const facet = (d: FilterDimension, title: string, values: Map<string, number>, label: (v: string) => string, color?: (v: string) => string) =>
    values.size > 0 && (
      <fieldset className="facet" data-testid={`filter-${d}`}>
        <legend>{title}</legend>
        {[...values.entries()]
          .sort((a, b) => b[1] - a[1])
          .map(([v, n]) => (
            <label key={v} className="facet-item">
              <input type="checkbox" checked={!hidden(d, v)} onChange={() => s.toggleHidden(d, v)} />
              {color && <span className="dot" style={{ backgroundColor: color(v) }} aria-hidden="true" />}
              <span className="facet-label">{label(v)}</span>
              <span className="count">{n}</span>
            </label>
          ))}
      </fieldset>
    );
  const active = filters.hiddenKinds.length + filters.hiddenProviders.length + filters.hiddenBoundaries.length + Number(filters.hideConditional);
  return (
    <div className="filters" data-testid="filters">
      <div className="filters-head">
        <h3>Filters</h3>
        {active > 0 && (
          <button type="button" className="link" onClick={() => s.resetFilters()}>
            Show all
          </button>
        )}
      </div>
      <label className="facet-item">
        <input type="checkbox" data-testid="filter-conditional" checked={!filters.hideConditional} onChange={(e) => s.setHideConditional(!e.target.checked)} />
        <span className="facet-label">Conditional edges (and follow them in analyses)</span>
        <span className="count">{facets.conditional}</span>
      </label>
      {facet('kind', 'Kinds', facets.kinds, kindLabel)}
      {facet('provider', 'Providers', facets.providers, (v) => v, providerColor)}
      {facet('boundary', 'Boundaries', facets.boundaries, (v) => nodes[v]?.name ?? boundaryLabel(v))}
    </div>
  );
}
