import { useVirtualizer } from '@tanstack/react-virtual';
import { useRef, type ReactNode } from 'react';

/**
 * A complete list of any length in a box of at most `maxHeight` pixels: only the rows in view are rendered, so a
 * list of 100,000 reached nodes scrolls like one of ten.
 */
export function VirtualList<T>({ items, rowHeight, maxHeight = 320, render, testId, itemKey }: { items: T[]; rowHeight: number; maxHeight?: number; render(item: T, index: number): ReactNode; testId?: string; itemKey(item: T): string }) {
  const scroller = useRef<HTMLDivElement>(null);
  const virtual = useVirtualizer({ count: items.length, getScrollElement: () => scroller.current, estimateSize: () => rowHeight, overscan: 10 });
  return (
    <div className="virtual-list" ref={scroller} style={{ maxHeight, height: Math.min(maxHeight, items.length * rowHeight + 2) }} data-testid={testId} role="list" aria-rowcount={items.length}>
      <div style={{ height: virtual.getTotalSize(), position: 'relative' }}>
        {virtual.getVirtualItems().map((v) => (
          <div key={itemKey(items[v.index]!)} role="listitem" className="virtual-row" style={{ position: 'absolute', top: 0, left: 0, right: 0, height: v.size, transform: `translateY(${v.start}px)` }}>
            {render(items[v.index]!, v.index)}
          </div>
        ))}
      </div>
    </div>
  );
}
