import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { ExportButtons } from '../components/ExportButtons';
import { relativeTime } from '../format';
import { useApp, useAppStore } from '../store';
import { queryInventory, TIER_LABEL, TIERS, type InventoryGroup, type InventoryQuery, type InventorySortKey } from './deliver-tables';

const COLUMNS: { key: InventorySortKey; label: string }[] = [
  { key: 'name', label: 'Identity' },
  { key: 'owner', label: 'Owner' },
  { key: 'tier', label: 'Tier' },
  { key: 'credentials', label: 'Creds' },
  { key: 'lastUsed', label: 'Last used' },
  { key: 'findings', label: 'Findings' },
];

const ROW_HEIGHT = 48;

/** Severities as a findings badge names them: short, so up to four fit the column in two lines (the cell's tooltip has the words). */
const SEVERITY_SHORT = { critical: 'crit', high: 'high', medium: 'med', low: 'low' } as const;

/** Every non-human identity: virtualized, sortable, filterable, grouped by boundary or owner; a row focuses its node. */
export function InventoryPanel() {
  const store = useAppStore();
  const { rows, loading, error } = useApp(useShallow((s) => ({ rows: s.inventory, loading: s.inventoryLoading, error: s.inventoryError })));
  const [q, setQ] = useState<InventoryQuery>({ text: '', tier: 'all', group: 'boundary', sort: 'tier', descending: false });
  useEffect(() => {
    if (!store.getState().inventory && !store.getState().inventoryLoading) void store.getState().loadInventory();
    // This panel is wider than the others: once the stage has shrunk, show the graph in it again, readable.
    const refit = setTimeout(() => store.getState().sendCommand('fit-readable'), 80);
    return () => clearTimeout(refit);
  }, [store]);
  const items = useMemo(() => queryInventory(rows ?? [], q), [rows, q]);
  const count = useMemo(() => items.filter((i) => i.type === 'row').length, [items]);
  const scroller = useRef<HTMLDivElement>(null);
  const virtual = useVirtualizer({ count: items.length, getScrollElement: () => scroller.current, estimateSize: () => ROW_HEIGHT, overscan: 8 });
  return (
    <div className="panel list-panel" data-testid="inventory-panel">
      <h2>Inventory</h2>
      <div className="list-controls">
        <input type="search" placeholder="Filter identities…" aria-label="Filter identities" data-testid="inventory-filter" value={q.text} onChange={(e) => setQ({ ...q, text: e.target.value })} />
        <select aria-label="Tier" data-testid="inventory-tier" value={q.tier} onChange={(e) => setQ({ ...q, tier: e.target.value as InventoryQuery['tier'] })}>
          <option value="all">every tier</option>
          {TIERS.map((t) => (
            <option key={t} value={t}>
              {TIER_LABEL[t]}
            </option>
          ))}
        </select>
        <select aria-label="Group by" data-testid="inventory-group" value={q.group} onChange={(e) => setQ({ ...q, group: e.target.value as InventoryGroup })}>
          <option value="boundary">by boundary</option>
          <option value="owner">by owner</option>
          <option value="none">no groups</option>
        </select>
      </div>
      <div className="list-status">
        <span className="muted small" data-testid="inventory-count">
          {loading ? 'Loading…' : `${count.toLocaleString('en-US')} of ${(rows?.length ?? 0).toLocaleString('en-US')} identities`}
        </span>
        <ExportButtons request={{ table: 'inventory' }} testId="inventory-export" />
      </div>
      {error && <p className="error-text">{error}</p>}
      <div className="inventory-table" role="table" aria-label="Inventory" data-testid="inventory-table" aria-rowcount={count}>
        <div className="inventory-row inventory-header" role="row">
          {COLUMNS.map((c) => (
            <div key={c.key} role="columnheader" aria-sort={q.sort === c.key ? (q.descending ? 'descending' : 'ascending') : 'none'}>
              <button type="button" className="sort" data-testid={`inventory-sort-${c.key}`} onClick={() => setQ({ ...q, sort: c.key, descending: q.sort === c.key ? !q.descending : false })}>
                {c.label}
                {q.sort === c.key ? (q.descending ? ' ▼' : ' ▲') : ''}
              </button>
            </div>
          ))}
        </div>
        <div className="list-body" ref={scroller}>
          {rows && rows.length === 0 && !loading && <div className="list-empty">No non-human identity in this case yet: import IAM, Kubernetes, GCP or Azure exports.</div>}
          <div style={{ height: virtual.getTotalSize(), position: 'relative' }}>
            {virtual.getVirtualItems().map((v) => {
              const item = items[v.index]!;
              const style = { position: 'absolute' as const, top: 0, left: 0, right: 0, height: v.size, transform: `translateY(${v.start}px)` };
              if (item.type === 'group') {
                return (
                  <div key={item.key} className="inventory-group" role="row" style={style} data-testid="inventory-group-row">
                    <span className="ellipsis">{item.label}</span>
                    <span className="count">{item.count}</span>
                  </div>
                );
              }
              const r = item.row;
              const f = (['critical', 'high', 'medium', 'low'] as const).filter((sv) => r.findings[sv]);
              return (
                <div
                  key={r.node.id}
                  role="row"
                  className="inventory-row"
                  data-testid="inventory-row"
                  tabIndex={0}
                  style={style}
                  title={`${r.kindLabel} ${r.node.name}\n${TIER_LABEL[r.tier]}: ${r.tierReason}`}
                  onClick={() => void store.getState().focus(r.node.id)}
                  onKeyDown={(e) => {
                    if (e.key === 'Enter') void store.getState().focus(r.node.id);
                  }}
                >
                  <div role="cell" className="ellipsis">
                    <div className="ellipsis strong">{r.node.name}</div>
                    <div className="muted small ellipsis">{r.kindLabel}</div>
                  </div>
                  <div role="cell" className={`ellipsis${r.owner ? '' : ' muted'}`}>
                    {r.owner ?? 'none'}
                  </div>
                  <div role="cell" className="ellipsis">
                    <span className={`tier tier-${r.tier}`}>{TIER_LABEL[r.tier]}</span>
                    <div className="muted small ellipsis">{r.tierReason}</div>
                  </div>
                  <div role="cell" className="num" title={`${r.credentials.total} credentials, ${r.credentials.active} active${r.credentials.compromised ? `, ${r.credentials.compromised} compromised` : ''}`}>
                    {r.credentials.total}
                    {r.credentials.compromised > 0 && <div className="small danger-text ellipsis">{r.credentials.compromised} leaked</div>}
                  </div>
                  <div role="cell" className="small ellipsis" title={r.credentials.lastUsedAt ? r.credentials.lastUsedAt.replace('T', ' ') : undefined}>
                    {r.credentials.lastUsedAt ? relativeTime(r.credentials.lastUsedAt) : '—'}
                  </div>
                  <div role="cell" className="small inventory-findings" title={f.map((sv) => `${r.findings[sv]} ${sv}`).join(', ')}>
                    {f.length ? f.map((sv) => <span key={sv} className={`sev sev-${sv} sev-count`}>{`${r.findings[sv]} ${SEVERITY_SHORT[sv]}`}</span>) : <span className="muted">—</span>}
                  </div>
                </div>
              );
            })}
          </div>
        </div>
      </div>
    </div>
  );
}
