import { useState } from 'react';
import { useApp, useAppStore } from '../store';

/** Named views kept in the case: save what is on the canvas, open it again later (or on another machine). */
export function SavedViews() {
  const store = useAppStore();
  const views = useApp((s) => s.savedViews);
  const [name, setName] = useState('');
  const s = store.getState();
  return (
    <details className="section saved-views" data-testid="saved-views" open>
      <summary>
        Saved views
        <span className="count">{views.length}</span>
      </summary>
      <form
        className="save-view"
        onSubmit={(e) => {
          e.preventDefault();
          if (!name.trim()) return;
          void s.saveView(name.trim()).then(() => setName(''));
        }}
      >
        <input value={name} onChange={(e) => setName(e.target.value)} placeholder="Name this view" aria-label="View name" data-testid="view-name" maxLength={200} />
        <button type="submit" disabled={!name.trim()} data-testid="view-save">
          Save
        </button>
      </form>
      <ul className="plain view-list">
        {views.map((v) => (
          <li key={v.name} data-testid="saved-view">
            <button type="button" className="link view-open" onClick={() => void s.openView(v.name)} title={`Saved ${v.savedAt.slice(0, 16).replace('T', ' ')}`}>
              {v.name}
            </button>
            <span className="muted small">{v.savedAt.slice(0, 10)}</span>
            <button type="button" className="icon-button" aria-label={`Delete the view ${v.name}`} onClick={() => void s.deleteView(v.name)}>
              ×
            </button>
          </li>
        ))}
      </ul>
    </details>
  );
}
