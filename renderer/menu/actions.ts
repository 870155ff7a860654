// The right-click menu, as data: one entry per action. Adding an action is one entry here (what it applies to,
// when it shows, what it does); the menu component only renders the list.
import type { StoreApi } from 'zustand/vanilla';
import type { NodeDetails, NodeSummary } from '../contract';
import { edgeVerb } from '../format';
import type { AppState } from '../store';
import type { CanvasEdge } from '../store/graph-slice';

export interface MenuTarget {
  type: 'node' | 'edge';
  id: string;
  node?: NodeSummary;
  edge?: CanvasEdge;
  /** The node's details (its edges), fetched when the menu opens. */
  details?: NodeDetails;
}

export interface MenuAction {
  id: string;
  label: string | ((t: MenuTarget, s: AppState) => string);
  appliesTo: MenuTarget['type'][];
  /** Shown only when this holds (default: always). */
  when?(t: MenuTarget, s: AppState): boolean;
  /** Sub-entries computed for the target (e.g. one per edge kind); the entry itself then only opens them. */
  children?(t: MenuTarget, s: AppState): { id: string; label: string; run(store: StoreApi<AppState>): void | Promise<void> }[];
  run?(t: MenuTarget, store: StoreApi<AppState>): void | Promise<void>;
}

const marked = (t: MenuTarget, mark: 'compromised' | 'high-value') => t.node?.marks.includes(mark) ?? false;

async function copy(text: string, store: StoreApi<AppState>): Promise<void> {
  try {
    await navigator.clipboard.writeText(text);
    store.getState().notify({ kind: 'info', text: `Copied ${text}` });
  } catch {
    store.getState().notify({ kind: 'error', text: 'The clipboard refused the copy (the page needs focus or permission).' });
  }
}

/** Edge kinds at a node on the canvas and in its loaded details, with how many edges each. */
function edgeKindsAt(t: MenuTarget, s: AppState): Map<string, number> {
  const kinds = new Map<string, number>();
  const d = t.details ?? (s.details?.node.id === t.id ? s.details : null);
  for (const x of d ? [...d.out, ...d.in] : []) kinds.set(x.edge.kind, (kinds.get(x.edge.kind) ?? 0) + 1);
  return kinds;
}

export const MENU_ACTIONS: MenuAction[] = [
  { id: 'blast', label: 'Blast radius', appliesTo: ['node'], run: (t, store) => store.getState().runBlast(t.id) },
  { id: 'paths-admin', label: 'Paths to admin or high value', appliesTo: ['node'], run: (t, store) => store.getState().runPaths(t.id, 'crown') },
  {
    id: 'paths-here',
    label: (t, s) => `Paths to here from ${s.details?.node.name ?? 'the selection'}`,
    appliesTo: ['node'],
    when: (t, s) => Boolean(s.selectedId && s.selectedId !== t.id),
    run: (t, store) => {
      const s = store.getState();
      if (s.selectedId) void s.runPaths(s.selectedId, { id: t.id, name: t.node?.name ?? t.id });
    },
  },
  { id: 'expand', label: 'Expand neighbours', appliesTo: ['node'], run: (t, store) => store.getState().expand(t.id) },
  {
    id: 'expand-kind',
    label: 'Expand by edge kind',
    appliesTo: ['node'],
    when: (t, s) => edgeKindsAt(t, s).size > 0,
    children: (t, s) =>
      [...edgeKindsAt(t, s).entries()]
        .sort((a, b) => a[0].localeCompare(b[0]))
        .map(([kind, n]) => ({ id: `expand-${kind}`, label: `${edgeVerb(kind)} (${n})`, run: (store) => store.getState().expand(t.id, [kind]) })),
  },
  { id: 'collapse', label: 'Collapse neighbours', appliesTo: ['node'], run: (t, store) => store.getState().collapse(t.id) },
  { id: 'hide', label: 'Hide from the canvas', appliesTo: ['node'], run: (t, store) => store.getState().hide([t.id]) },
  {
    id: 'mark-compromised',
    label: (t) => (marked(t, 'compromised') ? 'Unmark compromised' : 'Mark compromised'),
    appliesTo: ['node'],
    run: (t, store) => store.getState().setMark('compromised', !marked(t, 'compromised'), undefined, t.id),
  },
  {
    id: 'mark-high-value',
    label: (t) => (marked(t, 'high-value') ? 'Unmark high value' : 'Mark high value'),
    appliesTo: ['node'],
    run: (t, store) => store.getState().setMark('high-value', !marked(t, 'high-value'), undefined, t.id),
  },
  { id: 'copy-id', label: 'Copy id', appliesTo: ['node'], run: (t, store) => copy(t.id, store) },
  { id: 'copy-arn', label: 'Copy ARN', appliesTo: ['node'], when: (t) => t.id.startsWith('arn:'), run: (t, store) => copy(t.id, store) },
  { id: 'copy-name', label: 'Copy name', appliesTo: ['node'], when: (t) => Boolean(t.node && t.node.name !== t.id), run: (t, store) => copy(t.node!.name, store) },
  { id: 'edge-evidence', label: 'Show why (evidence)', appliesTo: ['edge'], run: (t, store) => store.getState().selectEdge(t.id) },
  { id: 'edge-source', label: 'Select where it starts', appliesTo: ['edge'], when: (t) => Boolean(t.edge), run: (t, store) => store.getState().select(t.edge!.from) },
  { id: 'edge-target', label: 'Select where it leads', appliesTo: ['edge'], when: (t) => Boolean(t.edge), run: (t, store) => store.getState().select(t.edge!.to) },
  { id: 'edge-blast', label: 'Blast radius from where it starts', appliesTo: ['edge'], when: (t) => Boolean(t.edge), run: (t, store) => store.getState().runBlast(t.edge!.from) },
  { id: 'edge-copy', label: 'Copy edge id', appliesTo: ['edge'], when: (t) => /^e\d+$/.test(t.id), run: (t, store) => copy(t.id.slice(1), store) },
];

/** The entries that apply to a target right now, with their labels resolved. */
export function menuFor(t: MenuTarget, s: AppState): { action: MenuAction; label: string }[] {
  return MENU_ACTIONS.filter((a) => a.appliesTo.includes(t.type) && (a.when?.(t, s) ?? true)).map((a) => ({ action: a, label: typeof a.label === 'function' ? a.label(t, s) : a.label }));
}
