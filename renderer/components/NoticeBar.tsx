import { useApp } from '../store';

export function NoticeBar() {
  const notice = useApp((s) => s.notice);
  const notify = useApp((s) => s.notify);
  if (!notice) return null;
  return (
    <div className={`notice notice-${notice.kind}`} role={notice.kind === 'error' ? 'alert' : 'status'} data-testid="notice">
      <span>{notice.text}</span>
      <button type="button" className="icon-button" aria-label="Dismiss" onClick={() => notify(null)}>
        ×
      </button>
    </div>
  );
}
