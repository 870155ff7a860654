import { useShallow } from 'zustand/react/shallow';
import { useApp, useAppStore } from '../store';
import { compactCount, groupDigits } from '../format';
import { enterMode, MODES } from '../modes';
import { Search } from '../panels/Search';

export function Toolbar() {
  const store = useAppStore();
  const { mode, theme, caseInfo, shellMode, caseError, canUndo, canRedo, exporting } = useApp(
    useShallow((s) => ({ mode: s.mode, theme: s.theme, caseInfo: s.caseInfo, shellMode: s.shellMode, caseError: s.caseError, canUndo: s.past.length > 0, canRedo: s.future.length > 0, exporting: s.exporting })),
  );
  const s = store.getState();
  const caseName = caseInfo ? caseInfo.path.split(/[\\/]/).pop() : caseError ? 'no case' : '…';
  const electron = shellMode === 'electron';
  return (
    <header className="toolbar">
      <div className="brand" title={caseInfo?.path}>
        <span className="brand-mark" aria-hidden="true" />
        <span className="brand-name">Blastmap</span>
        <span className="case-name" data-testid="case-name">
          {caseName}
        </span>
        {caseInfo && (
          <span className="case-counts" data-testid="case-counts" title={countsText(caseInfo.counts, groupDigits)}>
            {countsText(caseInfo.counts, compactCount)}
          </span>
        )}
      </div>
      <Search />
      <nav className="modes" aria-label="Modes">
        {MODES.map((m) => (
          <button
            key={m.id}
            type="button"
            className={`mode-tab${mode === m.id ? ' active' : ''}`}
            aria-pressed={mode === m.id}
            data-testid={`mode-${m.id}`}
            title={`${m.label} (${m.key})`}
            onClick={() => enterMode(store, m.id, 'tab')}
          >
            {m.label}
          </button>
        ))}
      </nav>
      <div className="tools">
        {electron && (
          <>
            <button type="button" onClick={() => void s.openCase(false)} data-testid="open-case" title="Open a case file">
              Open
            </button>
            <button type="button" onClick={() => void s.openCase(true)} data-testid="new-case" title="Create a new case file">
              New
            </button>
          </>
        )}
        <button type="button" onClick={() => s.setImportOpen(true)} data-testid="open-import" title="Import exports (i)">
          Import
        </button>
        <span className="tool-sep" />
        <button type="button" className="icon-button" onClick={() => s.undo()} disabled={!canUndo} data-testid="undo" title="Undo the last canvas change (Ctrl+Z)" aria-label="Undo">
          ↶
        </button>
        <button type="button" className="icon-button" onClick={() => s.redo()} disabled={!canRedo} data-testid="redo" title="Redo (Ctrl+Shift+Z)" aria-label="Redo">
          ↷
        </button>
        <button type="button" className="icon-button" onClick={() => s.sendCommand('zoom-out')} title="Zoom out (-)" aria-label="Zoom out">
          −
        </button>
        <button type="button" className="icon-button" onClick={() => s.sendCommand('zoom-in')} title="Zoom in (+)" aria-label="Zoom in">
          +
        </button>
        <button type="button" onClick={() => s.sendCommand('fit')} data-testid="fit" title="Fit (f)">
          Fit
        </button>
        <button type="button" onClick={() => s.sendCommand('relayout')} title="Lay out again (l)">
          Layout
        </button>
        <span className="tool-sep" />
        <button type="button" onClick={() => s.sendCommand('export-png')} data-testid="export-png" title="Export the view as PNG (p)">
          PNG
        </button>
        <button type="button" onClick={() => s.sendCommand('export-svg')} data-testid="export-svg" title="Export the view as SVG (s)">
          SVG
        </button>
        <button type="button" onClick={() => void s.exportReport()} disabled={exporting !== null} data-testid="export-report" title="Export the case report: one self-contained HTML file (r)">
          {exporting === 'report' ? 'Report…' : 'Report'}
        </button>
        <span className="tool-sep" />
        <button type="button" className="icon-button" onClick={() => s.toggleTheme()} data-testid="toggle-theme" title="Light / dark theme (t)" aria-label="Toggle theme">
          {theme === 'dark' ? '☀' : '☾'}
        </button>
        <button type="button" className="icon-button" onClick={() => s.setHelpOpen(true)} data-testid="open-help" title="Keyboard shortcuts (?)" aria-label="Help">
          ?
        </button>
      </div>
    </header>
  );
}

function countsText(c: { nodes: number; edges: number; findings: number }, count: (n: number) => string): string {
  return `${count(c.nodes)} nodes · ${count(c.edges)} edges · ${count(c.findings)} findings`;
}
