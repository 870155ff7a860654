// Keyboard shortcuts: one table, read by the key handler and by the help panel.
import type { StoreApi } from 'zustand/vanilla';
import { enterMode, MODES } from './modes';
import type { AppState } from './store';

export interface Shortcut {
  keys: string[];
  label: string;
  run(store: StoreApi<AppState>): void;
}

const selected = (store: StoreApi<AppState>) => store.getState().selectedId;

/** Focuses the search box with its old text selected, so typing replaces it. */
function focusSearch(): void {
  const input = document.querySelector<HTMLInputElement>('[data-testid="search-input"]');
  input?.focus();
  input?.select();
}

const MODE_LABELS: Record<string, string> = {
  blast: 'Blast radius of the selected node',
  paths: 'Paths from the selected node to admin',
  triage: 'Triage: compromised credentials, ranked',
  inventory: 'Inventory of non-human identities',
  compare: 'Compare with another case, a snapshot or a file to test',
};

export const SHORTCUTS: Shortcut[] = [
  { keys: ['/'], label: 'Search (any ARN, key id, email, ns/name or name)', run: () => focusSearch() },
  ...MODES.map((m) => ({ keys: [m.key], label: MODE_LABELS[m.id] ?? `${m.label} mode`, run: (s: StoreApi<AppState>) => enterMode(s, m.id, 'key') })),
  {
    keys: ['e'],
    label: 'Expand the selected node’s neighbours',
    run: (s) => {
      const id = selected(s);
      if (id) void s.getState().expand(id);
    },
  },
  {
    keys: ['c'],
    label: 'Collapse the selected node’s neighbours',
    run: (s) => {
      const id = selected(s);
      if (id) s.getState().collapse(id);
    },
  },
  { keys: ['f'], label: 'Fit the graph to the window', run: (s) => s.getState().sendCommand('fit') },
  { keys: ['+', '='], label: 'Zoom in', run: (s) => s.getState().sendCommand('zoom-in') },
  { keys: ['-'], label: 'Zoom out', run: (s) => s.getState().sendCommand('zoom-out') },
  { keys: ['l'], label: 'Lay the graph out again', run: (s) => s.getState().sendCommand('relayout') },
  { keys: ['m'], label: 'Mark the selected node compromised (toggle)', run: (s) => toggleMark(s, 'compromised') },
  { keys: ['h'], label: 'Mark the selected node high value (toggle)', run: (s) => toggleMark(s, 'high-value') },
  { keys: ['t'], label: 'Switch light / dark theme', run: (s) => s.getState().toggleTheme() },
  { keys: ['i'], label: 'Import exports', run: (s) => s.getState().setImportOpen(true) },
  { keys: ['p'], label: 'Export the view as PNG', run: (s) => s.getState().sendCommand('export-png') },
  { keys: ['s'], label: 'Export the view as SVG', run: (s) => s.getState().sendCommand('export-svg') },
  { keys: ['r'], label: 'Export the case report (HTML)', run: (s) => void s.getState().exportReport() },
  { keys: ['?'], label: 'Show this help', run: (s) => s.getState().setHelpOpen(true) },
  {
    keys: ['Escape'],
    label: 'Close dialogs, clear the selection',
    run: (s) => {
      const st = s.getState();
      if (st.helpOpen) st.setHelpOpen(false);
      else if (st.importOpen && !st.importState.running) st.setImportOpen(false);
      else void st.select(null);
    },
  },
];

function toggleMark(s: StoreApi<AppState>, mark: 'compromised' | 'high-value') {
  const st = s.getState();
  if (!st.selectedId) return;
  const node = st.nodes[st.selectedId] ?? st.details?.node;
  void st.setMark(mark, !(node?.marks.includes(mark) ?? false));
}

/** Shortcuts with Ctrl (⌘ on a Mac): undo and redo of canvas changes. */
export const MODIFIED_SHORTCUTS: (Shortcut & { match(ev: Pick<KeyboardEvent, 'key' | 'shiftKey'>): boolean })[] = [
  { keys: ['Ctrl+Z'], label: 'Undo the last canvas change', match: (ev) => ev.key.toLowerCase() === 'z' && !ev.shiftKey, run: (s) => s.getState().undo() },
  { keys: ['Ctrl+Shift+Z', 'Ctrl+Y'], label: 'Redo', match: (ev) => (ev.key.toLowerCase() === 'z' && ev.shiftKey) || ev.key.toLowerCase() === 'y', run: (s) => s.getState().redo() },
];

/** The Ctrl/⌘ shortcut for a key event, unless the user is typing in a field (where the browser's own undo works). */
export function modifiedShortcutFor(ev: Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey' | 'altKey' | 'shiftKey' | 'target'>): Shortcut | undefined {
  if (!(ev.ctrlKey || ev.metaKey) || ev.altKey) return undefined;
  const t = ev.target as { tagName?: string; isContentEditable?: boolean } | null;
  if (t && (t.tagName === 'INPUT' || t.tagName === 'TEXTAREA' || t.isContentEditable)) return undefined;
  return MODIFIED_SHORTCUTS.find((s) => s.match(ev));
}

/** The shortcut for a key event, unless the user is typing in a field. */
export function shortcutFor(ev: Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey' | 'altKey' | 'target'>): Shortcut | undefined {
  if (ev.ctrlKey || ev.metaKey || ev.altKey) return undefined;
  const t = ev.target as { tagName?: string; isContentEditable?: boolean } | null;
  const typing = t && (t.tagName === 'INPUT' || t.tagName === 'TEXTAREA' || t.tagName === 'SELECT' || t.isContentEditable);
  if (typing && ev.key !== 'Escape') return undefined;
  return SHORTCUTS.find((s) => s.keys.includes(ev.key));
}
