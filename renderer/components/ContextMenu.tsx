import { useEffect, useRef, useState } from 'react';
import { menuFor, type MenuTarget } from '../menu/actions';
import { useApp, useAppStore } from '../store';

/** The right-click menu of a node or an edge (entries: menu/actions.ts), at the pointer, inside the stage. */
export function ContextMenu({ target: given, x, y, onClose }: { target: MenuTarget; x: number; y: number; onClose: () => void }) {
  const store = useAppStore();
  const state = useApp((s) => s);
  const [open, setOpen] = useState<string | null>(null);
  const [target, setTarget] = useState(given);
  useEffect(() => {
    setTarget(given);
    if (given.type !== 'node') return;
    let live = true;
    // The node's edges, for "expand by edge kind".
    store
      .getState()
      .fetchDetails(given.id, 200)
      .then(
        (details) => live && setTarget({ ...given, details }),
        () => undefined,
      );
    return () => {
      live = false;
    };
  }, [given, store]);
  const box = useRef<HTMLDivElement>(null);
  const [at, setAt] = useState({ x, y });
  useEffect(() => {
    // Keep the menu inside the stage when opened near its right or bottom edge.
    const el = box.current;
    const stage = el?.offsetParent as HTMLElement | null;
    if (!el || !stage) return;
    setAt({ x: Math.max(4, Math.min(x, stage.clientWidth - el.offsetWidth - 4)), y: Math.max(4, Math.min(y, stage.clientHeight - el.offsetHeight - 4)) });
  }, [x, y, open]);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') onClose();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose]);
  const entries = menuFor(target, state);
  return (
    <div className="context-menu" role="menu" data-testid="context-menu" ref={box} style={{ left: at.x, top: at.y }} onContextMenu={(e) => e.preventDefault()}>
      <div className="context-title">{target.node?.name ?? target.edge?.label ?? target.id}</div>
      {entries.map(({ action, label }) => (
        <div key={action.id}>
          <button
            type="button"
            role="menuitem"
            data-testid={`menu-${action.id}`}
            onClick={() => {
              if (action.children) {
                setOpen(open === action.id ? null : action.id);
                return;
              }
              onClose();
              void action.run?.(target, store);
            }}
          >
            {label}
            {action.children && <span aria-hidden="true">{open === action.id ? ' ▾' : ' ▸'}</span>}
          </button>
          {action.children && open === action.id && (
            <div className="context-sub">
              {action.children(target, state).map((c) => (
                <button
                  key={c.id}
                  type="button"
                  role="menuitem"
                  data-testid={`menu-${c.id}`}
                  onClick={() => {
                    onClose();
                    void c.run(store);
                  }}
                >
                  {c.label}
                </button>
              ))}
            </div>
          )}
        </div>
      ))}
    </div>
  );
}
