// Puts the compare view's classes on the canvas (see compare-style.ts): the status of each changed element, and the
// side-list entry in focus. A hook of its own so GraphCanvas only calls it.
import type { Core } from 'cytoscape';
import { useEffect, type RefObject } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { useApp } from '../store';

const CLASSES = 'diff-added diff-removed diff-changed diff-focus diff-dim';

export function useCompareClasses(cyRef: RefObject<Core | null>, drawn: unknown): void {
  const { mode, status, focus, items } = useApp(useShallow((s) => ({ mode: s.mode, status: s.compareStatus, focus: s.compareFocus, items: s.compareItems })));
  useEffect(() => {
    const cy = cyRef.current;
    if (!cy) return;
    cy.batch(() => {
      cy.elements().removeClass(CLASSES);
      if (mode !== 'compare') return;
      for (const [id, st] of Object.entries(status)) cy.getElementById(id).addClass(`diff-${st}`);
      const item = focus ? items[focus] : undefined;
      if (!item) return;
      cy.elements().not('.group').addClass('diff-dim');
      for (const id of [...item.nodes, ...item.edges]) cy.getElementById(id).removeClass('diff-dim').addClass('diff-focus');
    });
  }, [cyRef, drawn, mode, status, focus, items]);
}
