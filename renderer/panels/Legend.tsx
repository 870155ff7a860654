import { useState } from 'react';
import { NODE_CATEGORIES } from '../contract';
import { ADMIN_COLOR, CATEGORY_SHAPES, COMPROMISED_COLOR, CONDITIONAL_COLOR, HIGH_VALUE_COLOR, PATH_COLOR, PROVIDER_COLORS } from '../graph/palette';
import { useApp } from '../store';

const CATEGORY_TITLES: Record<string, string> = {
  identity: 'Identity',
  credential: 'Credential',
  resource: 'Resource',
  group: 'Group',
  boundary: 'Boundary',
  admin: 'Admin of a boundary',
  evidence: 'Leak / evidence',
};

/** What shapes, colours and line styles mean. Built from the same tables as the canvas stylesheet. */
export function Legend() {
  const [open, setOpen] = useState(true);
  const providers = useApp((s) => {
    const seen = new Set<string>();
    for (const n of Object.values(s.nodes)) seen.add(n.provider);
    return [...seen].sort().join(',');
  });
  const shown = providers ? providers.split(',') : Object.keys(PROVIDER_COLORS);
  return (
    <div className={`legend${open ? '' : ' closed'}`} data-testid="legend">
      <button type="button" className="legend-toggle" onClick={() => setOpen(!open)} aria-expanded={open}>
        Legend {open ? '▾' : '▸'}
      </button>
      {open && (
        <div className="legend-body">
          <div className="legend-col">
            {Object.keys(NODE_CATEGORIES).map((c) => (
              <div key={c} className="legend-item" title={NODE_CATEGORIES[c as keyof typeof NODE_CATEGORIES]}>
                <span className={`shape shape-${CATEGORY_SHAPES[c]}`} style={c === 'admin' ? { backgroundColor: ADMIN_COLOR } : undefined} aria-hidden="true" />
                {CATEGORY_TITLES[c] ?? c}
              </div>
            ))}
          </div>
          <div className="legend-col">
            {shown.map((p) => (
              <div key={p} className="legend-item">
                <span className="swatch" style={{ backgroundColor: PROVIDER_COLORS[p] ?? PROVIDER_COLORS['generic'] }} aria-hidden="true" />
                {p}
              </div>
            ))}
          </div>
          <div className="legend-col">
            <div className="legend-item">
              <span className="line" aria-hidden="true" /> grants access
            </div>
            <div className="legend-item">
              <span className="line line-dashed" aria-hidden="true" /> statement only
            </div>
            <div className="legend-item">
              <span className="line line-dotted" style={{ borderColor: CONDITIONAL_COLOR }} aria-hidden="true" /> conditional
            </div>
            <div className="legend-item">
              <span className="line" style={{ borderColor: PATH_COLOR, borderTopWidth: 3 }} aria-hidden="true" /> on the path
            </div>
            <div className="legend-item">
              <span className="ring" style={{ borderColor: COMPROMISED_COLOR }} aria-hidden="true" /> compromised
            </div>
            <div className="legend-item">
              <span className="ring" style={{ borderColor: HIGH_VALUE_COLOR }} aria-hidden="true" /> high value
            </div>
          </div>
        </div>
      )}
    </div>
  );
}
