import { useEffect } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { Toolbar } from './components/Toolbar';
import { NoticeBar } from './components/NoticeBar';
import { GraphCanvas } from './graph/GraphCanvas';
import { BlastRadiusPanel } from './panels/BlastRadius';
import { DetailsPanel } from './panels/Details';
import { ExplorePanel } from './panels/Explore';
import { FindingsPanel } from './panels/Findings';
import { HelpPanel } from './panels/Help';
import { InventoryPanel } from './panels/Inventory';
import { TriagePanel } from './panels/Triage';
import { UnlockDialog } from './panels/UnlockDialog';
import { ImportDialog } from './panels/ImportDialog';
import { Legend } from './panels/Legend';
import { PathsPanel } from './panels/Paths';
import { ComparePanel } from './panels/Compare';
import { shortcutFor } from './shortcuts';
import { useApp, useAppStore } from './store';
import type { Theme } from './store/ui-slice';

const THEME_KEY = 'blastmap.theme';

export function App() {
  const store = useAppStore();
  const { mode, theme, helpOpen, importOpen, unlockOpen } = useApp(useShallow((s) => ({ mode: s.mode, theme: s.theme, helpOpen: s.helpOpen, importOpen: s.importOpen, unlockOpen: s.unlockOpen })));

  useEffect(() => {
    const saved = readStored(THEME_KEY);
    const initial: Theme = saved === 'dark' || saved === 'light' ? saved : window.matchMedia?.('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
    store.getState().setTheme(initial);
    void store.getState().loadCase();
    void store.getState().loadOverview();
    // A case with compromised or exposed credentials opens on their ranking (unless the user already moved on).
    void store
      .getState()
      .loadTriage()
      .then((rows) => {
        const st = store.getState();
        if (rows.length > 0 && st.mode === 'explore' && !st.selectedId) st.setMode('triage');
      });
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
      const sc = shortcutFor(ev);
      if (!sc) return;
      ev.preventDefault();
      sc.run(store);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [store]);

  return (
    <div className={`app mode-${mode}`} data-testid="app" data-theme={theme}>
      <Toolbar />
      <NoticeBar />
      <main className="workspace">
        <aside className="sidebar" data-testid={`sidebar-${mode}`}>
          {mode === 'explore' && <ExplorePanel />}
          {mode === 'blast' && <BlastRadiusPanel />}
          {mode === 'paths' && <PathsPanel />}
          {mode === 'findings' && <FindingsPanel />}
          {mode === 'triage' && <TriagePanel />}
          {mode === 'inventory' && <InventoryPanel />}
          {mode === 'compare' && <ComparePanel />}
        </aside>
        <section className="stage">
          <GraphCanvas />
          <Legend />
        </section>
        <DetailsPanel />
      </main>
      {helpOpen && <HelpPanel />}
      {importOpen && <ImportDialog />}
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
