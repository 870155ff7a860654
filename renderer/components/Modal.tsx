import { useEffect, useRef } from 'react';

export function Modal({ title, testId, onClose, children, closable = true }: { title: string; testId: string; onClose: () => void; children: React.ReactNode; closable?: boolean }) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    box.current?.focus();
  }, []);
  return (
    <div
      className="modal-backdrop"
      onMouseDown={(e) => {
        if (closable && e.target === e.currentTarget) onClose();
      }}
    >
      <div className="modal" role="dialog" aria-modal="true" aria-label={title} data-testid={testId} tabIndex={-1} ref={box}>
        <div className="modal-head">
          <h2>{title}</h2>
          {closable && (
            <button type="button" className="icon-button" aria-label="Close" onClick={onClose} data-testid={`${testId}-close`}>
              ×
            </button>
          )}
        </div>
        <div className="modal-body">{children}</div>
      </div>
    </div>
  );
}
