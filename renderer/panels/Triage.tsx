import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { TriageRow } from '../contract';
import { ExportButtons } from '../components/ExportButtons';
import { groupDigits, kindLabel, relativeTime } from '../format';
import { useApp, useAppStore } from '../store';
import { queryTriage, type TriageQuery } from './deliver-tables';

// Four lines per credential (clamped in styles.css), so cards never overlap in the virtual list.
const ROW_HEIGHT = 104;

/** Every compromised or exposed credential, ranked by what it reaches; the score's parts in each card's tooltip. */
export function TriagePanel() {
  const store = useAppStore();
  const { rows, loading, error, hideConditional } = useApp(useShallow((s) => ({ rows: s.triage, loading: s.triageLoading, error: s.triageError, hideConditional: s.filters.hideConditional })));
  const [q, setQ] = useState<TriageQuery>({ text: '', onlyActive: false, onlyAdmin: false });
  useEffect(() => {
    if (!store.getState().triage && !store.getState().triageLoading) void store.getState().loadTriage();
    // This panel is wider than the others: once the stage has shrunk, show the graph in it again, readable.
    const refit = setTimeout(() => store.getState().sendCommand('fit-readable'), 80);
    return () => clearTimeout(refit);
  }, [store]);
  const shown = useMemo(() => queryTriage(rows ?? [], q), [rows, q]);
  const scroller = useRef<HTMLDivElement>(null);
  const virtual = useVirtualizer({ count: shown.length, getScrollElement: () => scroller.current, estimateSize: () => ROW_HEIGHT, overscan: 6 });
  return (
    <div className="panel list-panel" data-testid="triage-panel">
      <h2>Triage</h2>
      <p className="muted small">Compromised and exposed credentials, ranked by what they reach: admin of a boundary first, then high-value nodes, resources and identities. Use seen after the exposure weighs most. Hover a card for its score.</p>
      <div className="list-controls">
        <input type="search" placeholder="Filter credentials…" aria-label="Filter credentials" data-testid="triage-filter" value={q.text} onChange={(e) => setQ({ ...q, text: e.target.value })} />
        <label className="small">
          <input type="checkbox" checked={q.onlyActive} onChange={(e) => setQ({ ...q, onlyActive: e.target.checked })} data-testid="triage-only-active" /> not inactive
        </label>
        <label className="small">
          <input type="checkbox" checked={q.onlyAdmin} onChange={(e) => setQ({ ...q, onlyAdmin: e.target.checked })} /> reach admin
        </label>
      </div>
      <div className="list-status">
        <span className="muted small" data-testid="triage-count">
          {loading ? 'Ranking…' : `${groupDigits(shown.length)} of ${groupDigits(rows?.length ?? 0)} credentials`}
        </span>
        <ExportButtons request={{ table: 'triage', ...(hideConditional ? { includeConditional: false } : {}) }} testId="triage-export" />
      </div>
      {error && <p className="error-text">{error}</p>}
      <div className="list-body" ref={scroller} data-testid="triage-list" role="list" aria-label="Compromised credentials, ranked">
        {rows && rows.length === 0 && !loading && (
          <div className="list-empty" data-testid="triage-empty">
            No credential in this case is marked compromised or exposed by a secret scanner. Mark one with <kbd>m</kbd>, or import a gitleaks or trufflehog report.
          </div>
        )}
        <div style={{ height: virtual.getTotalSize(), position: 'relative' }}>
          {virtual.getVirtualItems().map((v) => (
            <TriageCard key={shown[v.index]!.node.id} row={shown[v.index]!} top={v.start} height={v.size} />
          ))}
        </div>
      </div>
    </div>
  );
}

function TriageCard({ row: r, top, height }: { row: TriageRow; top: number; height: number }) {
  const store = useAppStore();
  const s = store.getState();
  const levels = Object.entries(r.reach.byAccessLevel).map(([l, n]) => `${n} ${l}`);
  return (
    <div
      role="listitem"
      className="triage-card"
      data-testid="triage-row"
      tabIndex={0}
      style={{ position: 'absolute', top: 0, left: 0, right: 0, height, transform: `translateY(${top}px)` }}
      title={`Score ${r.score}:\n${r.scoreParts.map((p) => `${p.points > 0 ? '+' : ''}${p.points} ${p.label}`).join('\n')}${r.reasons.length ? `\n\n${r.reasons.join('\n')}` : ''}`}
      onClick={() => void s.focus(r.node.id)}
      onKeyDown={(e) => {
        if (e.key === 'Enter') void s.focus(r.node.id);
      }}
    >
      <div className="triage-line1">
        <span className="triage-rank">#{r.rank}</span>
        <span className="triage-name ellipsis">{r.node.name}</span>
        <span className="muted small">{kindLabel(r.node.kind)}</span>
        <span className="triage-score" data-testid="triage-score">
          {groupDigits(r.score)}
        </span>
      </div>
      <div className="muted small ellipsis">
        {r.holders.length ? `as ${r.holders.map((h) => h.name).join(', ')} · ` : ''}
        <span className={r.status === 'inactive' ? '' : 'strong'}>{r.status}</span>
        {r.lastUsedAt === null ? ' · never used' : r.lastUsedAt ? ` · used ${relativeTime(r.lastUsedAt)}` : ''}
        {r.exposedAt ? ` · exposed ${r.exposedAt.slice(0, 10)}` : ''}
      </div>
      <div className="triage-badges ellipsis">
        {r.usedAfterExposure && (
          <span className="badge badge-danger" data-testid="triage-used-after">
            used after exposure ({r.usedAfterExposure.events})
          </span>
        )}
        {r.reach.adminOf.length > 0 ? (
          <span className="badge badge-admin" data-testid="triage-admin-of" title={`admin of ${r.reach.adminOf.map((b) => b.name).join(', ')}`}>
            admin of {r.reach.adminOf.map((b) => b.name).join(', ')}
          </span>
        ) : (
          <span className="muted small">no admin reached</span>
        )}
        {r.reach.highValue.length > 0 && <span className="badge">{r.reach.highValue.length} high value</span>}
      </div>
      <div className="triage-line4">
        <span className="muted small ellipsis">
          {r.reach.resources} resources{levels.length ? ` (${levels.join(', ')})` : ''} · {r.reach.identities} identities
          {r.containment ? ` · ${r.containment.pathsBefore ? `cut cost ${r.containment.cost}` : 'nothing to cut'}` : ''}
        </span>
        <span className="triage-actions">
          <button
            type="button"
            className="small-button"
            data-testid="triage-blast"
            onClick={(e) => {
              e.stopPropagation();
              void s.runBlast(r.node.id);
            }}
          >
            Blast radius
          </button>
          <button
            type="button"
            className="small-button"
            onClick={(e) => {
              e.stopPropagation();
              void s.runPaths(r.node.id);
            }}
          >
            Paths
          </button>
        </span>
      </div>
    </div>
  );
}
