import { useVirtualizer } from '@tanstack/react-virtual';
import { useMemo, useRef, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { ExportButtons } from '../components/ExportButtons';
import { useApp, useAppStore } from '../store';
import { plural } from '../format';
import { focusable, queryFindings, SEVERITIES, type FindingQuery, type FindingSortKey } from './findings-table';

const COLUMNS: { key: FindingSortKey; label: string }[] = [
  { key: 'severity', label: 'Severity' },
  { key: 'title', label: 'Finding' },
  { key: 'node', label: 'Node' },
  { key: 'rule', label: 'Rule' },
];

// Two lines of title and one of summary (clamped in styles.css), so rows never overlap.
const ROW_HEIGHT = 66;

export function FindingsPanel() {
  const store = useAppStore();
  const { findings, loading, error } = useApp(useShallow((s) => ({ findings: s.findings, loading: s.findingsLoading, error: s.findingsError })));
  const [q, setQ] = useState<FindingQuery>({ text: '', severity: 'all', sort: 'severity', descending: false });
  const rows = useMemo(() => queryFindings(findings ?? [], q), [findings, q]);
  const scroller = useRef<HTMLDivElement>(null);
  const virtual = useVirtualizer({ count: rows.length, getScrollElement: () => scroller.current, estimateSize: () => ROW_HEIGHT, overscan: 8 });

  return (
    <div className="panel findings-panel" data-testid="findings-panel">
      <h2>Findings</h2>
      <div className="findings-controls">
        <input
          type="search"
          placeholder="Filter findings…"
          aria-label="Filter findings"
          data-testid="findings-filter"
          value={q.text}
          onChange={(e) => setQ({ ...q, text: e.target.value })}
        />
        <select aria-label="Severity" data-testid="findings-severity" value={q.severity} onChange={(e) => setQ({ ...q, severity: e.target.value as FindingQuery['severity'] })}>
          <option value="all">all severities</option>
          {SEVERITIES.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
      </div>
      <div className="list-status">
        <span className="muted small" data-testid="findings-count">
          {loading ? 'Loading…' : `${rows.length.toLocaleString('en-US')} of ${plural(findings?.length ?? 0, 'finding')}`}
        </span>
        <ExportButtons request={{ table: 'findings' }} testId="findings-export" />
      </div>
      {error && <p className="error-text">{error}</p>}
      <div className="findings-table" role="table" aria-label="Findings" data-testid="findings-table" aria-rowcount={rows.length}>
        <div className="findings-row findings-header" role="row">
          {COLUMNS.map((c) => (
            <div key={c.key} role="columnheader" aria-sort={q.sort === c.key ? (q.descending ? 'descending' : 'ascending') : 'none'}>
              <button type="button" className="sort" data-testid={`findings-sort-${c.key}`} onClick={() => setQ({ ...q, sort: c.key, descending: q.sort === c.key ? !q.descending : false })}>
                {c.label}
                {q.sort === c.key ? (q.descending ? ' ▼' : ' ▲') : ''}
              </button>
            </div>
          ))}
        </div>
        <div className="findings-body" ref={scroller}>
          {rows.length === 0 && !loading && (
            <div className="findings-empty" data-testid="findings-empty">
              {findings?.length ? 'No finding matches the filter.' : 'No findings in this case.'}
            </div>
          )}
          <div style={{ height: virtual.getTotalSize(), position: 'relative' }}>
            {virtual.getVirtualItems().map((v) => {
              const f = rows[v.index]!;
              // A scanner's result on a resource no node of the case describes has nothing to focus.
              const unmatched = !focusable(f);
              const focus = () => {
                if (!unmatched) void store.getState().focus(f.nodeId);
              };
              return (
                <div
                  key={f.id}
                  role="row"
                  className="findings-row"
                  data-testid="finding-row"
                  tabIndex={0}
                  style={{ position: 'absolute', top: 0, left: 0, right: 0, height: v.size, transform: `translateY(${v.start}px)` }}
                  onClick={focus}
                  onKeyDown={(e) => {
                    if (e.key === 'Enter') focus();
                  }}
                  title={f.summary}
                >
                  <div role="cell">
                    <span className={`sev sev-${f.severity}`}>{f.severity}</span>
                  </div>
                  <div role="cell" className="finding-title">
                    <div>{f.title}</div>
                    <div className="muted small ellipsis">{f.summary}</div>
                  </div>
                  <div role="cell" className="ellipsis" title={unmatched ? `${f.nodeId}: no node of the case is this resource` : undefined}>
                    {f.node?.name ?? f.nodeId}
                    {unmatched && <div className="muted small">not in the case</div>}
                  </div>
                  <div role="cell" className="muted small ellipsis">
                    {f.rule}
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
