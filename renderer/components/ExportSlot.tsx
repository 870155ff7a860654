import { PANEL_EXPORTS, type ExportPanel } from '../exports/registry';
import { useApp, useAppStore } from '../store';

/** The footer of a panel where its export buttons go (exports/registry.ts). */
export function ExportSlot({ panel }: { panel: ExportPanel }) {
  const store = useAppStore();
  const state = useApp((s) => s);
  const entries = PANEL_EXPORTS.filter((e) => e.panel === panel && (e.when?.(state) ?? true));
  return (
    <div className="export-slot" data-testid={`${panel}-export-slot`}>
      <span className="muted small">Export</span>
      {entries.length === 0 && <span className="muted small">— (no export format available in this build)</span>}
      {entries.map((e) => (
        <button key={e.id} type="button" data-testid={`export-${panel}-${e.id}`} onClick={() => void e.run(store)}>
          {e.label}
        </button>
      ))}
    </div>
  );
}
