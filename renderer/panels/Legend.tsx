import { useLayoutEffect, useRef, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { legendEntries, POLY, type LegendEntry, type Presence, type Symbol } from '../graph/legend-entries';
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

/** The styles the canvas says it draws (ui-slice drawnStyles), as the legend's entries read them. */
function presence(styles: string[]): Presence {
  const categories = new Set<string>();
  const providers = new Set<string>();
  const classes = new Set<string>();
  for (const s of styles) {
    if (s.startsWith('category:')) categories.add(s.slice(9));
    else if (s.startsWith('provider:')) providers.add(s.slice(9));
    else classes.add(s);
  }
  return { categories, providers, classes };
}

/** What shapes, colours, line styles and rings mean. Built from the same entries as the exports' legend. */
const OPEN_KEY = 'blastmap.legend';

/**
 * The stage an open legend leaves enough of: below it (a low window, or the narrow stage beside Triage's, Findings'
 * and Inventory's wide lists) the open legend covers 40 % of the canvas or more.
 */
const ROOM_FOR_LEGEND = { width: 600, height: 700 };

function rememberedChoice(): boolean | null {
  try {
    const saved = localStorage.getItem(OPEN_KEY);
    return saved ? saved !== 'closed' : null;
  } catch {
    // Storage refused: no remembered choice.
    return null;
  }
}

function hasRoom(stage: HTMLElement | null | undefined): boolean {
  if (!stage) return window.innerHeight >= ROOM_FOR_LEGEND.height + 100;
  return stage.clientWidth >= ROOM_FOR_LEGEND.width && stage.clientHeight >= ROOM_FOR_LEGEND.height;
}

/**
 * Open as the user last left it (this browser remembers); without a choice, open only where the stage has room, and in
 * Blast radius mode not over the first view of the drawing (closed, its button says why).
 */
export function Legend() {
  const [choice, setChoice] = useState(rememberedChoice);
  const [room, setRoom] = useState(() => hasRoom(null));
  const box = useRef<HTMLDivElement>(null);
  // Measured before the first paint and on every change of the stage's size (a mode with a wider list, a resized
  // window), so a legend without a choice never shows over a stage too small for it.
  useLayoutEffect(() => {
    const stage = box.current?.parentElement;
    if (!stage) return;
    const measure = () => setRoom(hasRoom(stage));
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(stage);
    return () => observer.disconnect();
  }, []);
  // The canvas says when its first view of a blast radius, or of a pick, found no place clear of the open legend.
  const covers = useApp((s) => s.legendCovers);
  const open = choice ?? (room && !covers);
  const setOpen = (next: boolean) => {
    setChoice(next);
    try {
      localStorage.setItem(OPEN_KEY, next ? 'open' : 'closed');
    } catch {
      // Storage refused: the choice lasts for this page.
    }
  };
  const { providers, theme, drawn } = useApp(
    useShallow((s) => {
      const seen = new Set<string>();
      for (const n of Object.values(s.nodes)) seen.add(n.provider);
      return { providers: [...seen].sort().join(','), theme: s.theme, drawn: s.drawnStyles };
    }),
  );
  // Only the styles drawn (a compact legend covers less of the stage), else every style of the case's providers.
  const entries = legendEntries(undefined, theme, drawn ? presence(drawn) : providers ? { providers: new Set(providers.split(',')) } : {});
  const col = (group: LegendEntry['group'][]) => entries.filter((e) => group.includes(e.group));
  return (
    <div ref={box} className={`legend${open ? '' : ' closed'}`} data-testid="legend">
      <button type="button" className="legend-toggle" onClick={() => setOpen(!open)} aria-expanded={open} title={!open && choice === null && covers ? 'Closed: open, it would cover the drawing' : undefined}>
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
