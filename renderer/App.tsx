import { useEffect, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { Toolbar } from './components/Toolbar';
import { NoticeBar } from './components/NoticeBar';
import { GraphCanvas } from './graph/GraphCanvas';
import { modeSpec } from './modes';
import { DetailsPanel } from './panels/Details';
import { HelpPanel } from './panels/Help';
import { UnlockDialog } from './panels/UnlockDialog';
import { ImportDialog } from './panels/ImportDialog';
import { Legend } from './panels/Legend';
import { modifiedShortcutFor, shortcutFor } from './shortcuts';
import { useApp, useAppStore } from './store';
import { startSession } from './store/session';
import type { Theme } from './store/ui-slice';

const THEME_KEY = 'blastmap.theme';

export function App() {
  const store = useAppStore();
  const { mode, theme, helpOpen, importOpen, unlockOpen } = useApp(useShallow((s) => ({ mode: s.mode, theme: s.theme, helpOpen: s.helpOpen, importOpen: s.importOpen, unlockOpen: s.unlockOpen })));
  const [dropped, setDropped] = useState<File[]>([]);
  const [dragging, setDragging] = useState(false);

  useEffect(() => {
    const saved = readStored(THEME_KEY);
    const initial: Theme = saved === 'dark' || saved === 'light' ? saved : window.matchMedia?.('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
    store.getState().setTheme(initial);
    // The case, then the canvas this browser last showed for it (a reload), else the estate overview (or triage).
    return startSession(store, safeStorage());
  }, [store]);

  useEffect(() => {
    document.documentElement.dataset['theme'] = theme;
    try {
      localStorage.setItem(THEME_KEY, theme);
    } catch {
      // Private windows may refuse storage; the theme then lasts for this page.
    }
  }, [theme]);

  useEffect(() => {
    const onKey = (ev: KeyboardEvent) => {
      const sc = modifiedShortcutFor(ev) ?? shortcutFor(ev);
      if (!sc) return;
      ev.preventDefault();
      sc.run(store);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [store]);

  const spec = modeSpec(mode);
  const Panel = spec?.Panel;
  return (
    <div
      className={`app mode-${mode}${spec?.wide ? ' wide-sidebar' : ''}${dragging ? ' dropping' : ''}`}
      data-testid="app"
      data-theme={theme}
      onDragOver={(e) => {
        if (!e.dataTransfer.types.includes('Files')) return;
        e.preventDefault();
        setDragging(true);
      }}
      onDragLeave={(e) => {
        if (e.currentTarget === e.target) setDragging(false);
      }}
      onDrop={(e) => {
        if (!e.dataTransfer.files.length) return;
        e.preventDefault();
        setDragging(false);
        // Files dropped anywhere go to the import dialog, which shows them before importing.
        setDropped(Array.from(e.dataTransfer.files));
        store.getState().setImportOpen(true);
      }}
    >
      <Toolbar />
      <NoticeBar />
      <main className="workspace">
        <aside className="sidebar" data-testid={`sidebar-${mode}`}>
          {Panel && <Panel />}
        </aside>
        <section className="stage">
          <GraphCanvas />
          <Legend />
        </section>
        <DetailsPanel />
      </main>
      {helpOpen && <HelpPanel />}
      {importOpen && <ImportDialog initialFiles={dropped} onFilesTaken={() => setDropped([])} />}
      {unlockOpen && <UnlockDialog />}
    </div>
  );
}

function readStored(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}

function safeStorage(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}
