import { useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { legendEntries, POLY, type LegendEntry, type Symbol } from '../graph/legend-entries';
import { useApp } from '../store';

/** A legend symbol drawn as the exports draw it (same data), as a small inline SVG. */
function SymbolIcon({ sym }: { sym: Symbol }) {
  const x = 11;
  const y = 8;
  let body;
  if (sym.type === 'line') {
    body = (
      <>
        <line x1={x - 10} y1={y} x2={x + 10} y2={y} stroke={sym.color} strokeWidth={sym.width} strokeDasharray={sym.dash} strokeLinecap="round" />
        {sym.tee && <line x1={x} y1={y - 5} x2={x} y2={y + 5} stroke={sym.color} strokeWidth={2.5} />}
      </>
    );
  } else {
    const r = 6;
    const stroke = sym.border ? { stroke: sym.border.color, strokeWidth: sym.border.double ? 1.2 : sym.border.width } : {};
    const pts = POLY[sym.shape];
    body = (
      <>
        {sym.shape === 'ellipse' ? (
          <circle cx={x} cy={y} r={r} fill={sym.fill} {...stroke} />
        ) : sym.shape === 'round-rectangle' || !pts ? (
          <rect x={x - r} y={y - r} width={2 * r} height={2 * r} rx={3} fill={sym.fill} {...stroke} />
        ) : (
          <polygon points={Array.from({ length: pts.length / 2 }, (_, i) => `${(x + pts[2 * i]! * r).toFixed(1)},${(y + pts[2 * i + 1]! * r).toFixed(1)}`).join(' ')} fill={sym.fill} {...stroke} />
        )}
        {sym.border?.double && <circle cx={x} cy={y} r={r + 2.6} fill="none" stroke={sym.border.color} strokeWidth={1.2} />}
      </>
    );
  }
  return (
    <svg width="22" height="16" viewBox="0 0 22 16" aria-hidden="true" className="legend-symbol">
      {body}
    </svg>
  );
}

/** What shapes, colours, line styles and rings mean. Built from the same entries as the exports' legend. */
const OPEN_KEY = 'blastmap.legend';

/** Below this window height the open legend would cover a third of the canvas or more: it starts closed. */
const ROOM_FOR_LEGEND_PX = 800;

/** The user's last choice, which this browser remembers; without one, open where the window has room for it. */
function initiallyOpen(): boolean {
  let saved: string | null = null;
  try {
    saved = localStorage.getItem(OPEN_KEY);
  } catch {
    // Storage refused: no remembered choice.
  }
  return saved ? saved !== 'closed' : window.innerHeight >= ROOM_FOR_LEGEND_PX;
}

export function Legend() {
  const [open, setOpenState] = useState(initiallyOpen);
  const setOpen = (next: boolean) => {
    setOpenState(next);
    try {
      localStorage.setItem(OPEN_KEY, next ? 'open' : 'closed');
    } catch {
      // Storage refused: the choice lasts for this page.
    }
  };
  const { providers, theme } = useApp(
    useShallow((s) => {
      const seen = new Set<string>();
      for (const n of Object.values(s.nodes)) seen.add(n.provider);
      return { providers: [...seen].sort().join(','), theme: s.theme };
    }),
  );
  const entries = legendEntries(undefined, theme, providers ? { providers: new Set(providers.split(',')) } : {});
  const col = (group: LegendEntry['group'][]) => entries.filter((e) => group.includes(e.group));
  return (
    <div className={`legend${open ? '' : ' closed'}`} data-testid="legend">
      <button type="button" className="legend-toggle" onClick={() => setOpen(!open)} aria-expanded={open}>
        Legend {open ? '▾' : '▸'}
      </button>
      {open && (
        <div className="legend-body">
          {[col(['shape']), col(['provider']), col(['edge']), col(['mark'])].map((list, i) => (
            <div key={i} className="legend-col">
              {list.map((e) => (
                <div key={e.id} className="legend-item" data-testid={`legend-${e.id}`}>
                  <SymbolIcon sym={e.sym} />
                  {e.label}
                </div>
              ))}
            </div>
          ))}
        </div>
      )}
    </div>
  );
}
