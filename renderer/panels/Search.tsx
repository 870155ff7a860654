import { useEffect, useId, useRef, useState } from 'react';
import type { NodeSummary, SearchHit } from '../contract';
import { NodeChip } from '../components/NodeChip';
import { toErrorShape } from '../store/errors';
import { useAppStore } from '../store';

const DEBOUNCE_MS = 150;

/** One box for any handle a responder pastes: ARN, key id, email, ns/name or a display name. */
export function Search() {
  const store = useAppStore();
  const [text, setText] = useState('');
  const [hits, setHits] = useState<SearchHit[]>([]);
  const [active, setActive] = useState(-1);
  const [open, setOpen] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const [candidates, setCandidates] = useState<NodeSummary[]>([]);
  const listId = useId();
  const seq = useRef(0);

  useEffect(() => {
    const q = text.trim();
    if (q.length < 2) {
      setHits([]);
      return;
    }
    const mine = ++seq.current;
    const t = setTimeout(() => {
      store.getState().searchNodes(q).then(
        (h) => {
          if (mine === seq.current) {
            setHits(h);
            setActive(-1);
          }
        },
        () => undefined,
      );
    }, DEBOUNCE_MS);
    return () => clearTimeout(t);
  }, [text, store]);

  const choose = (node: NodeSummary) => {
    setOpen(false);
    setMessage(null);
    setCandidates([]);
    setText(node.name);
    void store.getState().focus(node.id);
  };

  const submit = async () => {
    const hit = active >= 0 ? hits[active] : undefined;
    if (hit) return choose(hit.node);
    const ref = text.trim();
    if (!ref) return;
    try {
      const r = await store.getState().resolveRef(ref);
      if (r.status === 'found') choose(r.node);
      else {
        setCandidates(r.candidates);
        setMessage(r.status === 'ambiguous' ? `“${ref}” names ${r.candidates.length} nodes: pick one.` : r.candidates.length ? `No exact match for “${ref}”. Did you mean:` : `Nothing in this case matches “${ref}”.`);
        setOpen(true);
      }
    } catch (err) {
      setMessage(toErrorShape(err).message);
      setOpen(true);
    }
  };

  const showList = open && (hits.length > 0 || message !== null);
  return (
    <div className="search" role="search">
      <input
        type="search"
        data-testid="search-input"
        placeholder="Search: key id, ARN, email, ns/name, name…   ( / )"
        aria-label="Search the case"
        aria-autocomplete="list"
        aria-controls={listId}
        aria-expanded={showList}
        role="combobox"
        value={text}
        spellCheck={false}
        autoComplete="off"
        onChange={(e) => {
          setText(e.target.value);
          setOpen(true);
          setMessage(null);
          setCandidates([]);
        }}
        onFocus={() => setOpen(true)}
        onBlur={() => setTimeout(() => setOpen(false), 150)}
        onKeyDown={(e) => {
          if (e.key === 'ArrowDown') {
            e.preventDefault();
            setActive((a) => Math.min(a + 1, hits.length - 1));
          } else if (e.key === 'ArrowUp') {
            e.preventDefault();
            setActive((a) => Math.max(a - 1, -1));
          } else if (e.key === 'Enter') {
            e.preventDefault();
            void submit();
          } else if (e.key === 'Escape') {
            setOpen(false);
            (e.target as HTMLInputElement).blur();
          }
        }}
      />
      {showList && (
        <div className="suggestions" id={listId} role="listbox" data-testid="search-suggestions">
          {message && (
            <div className="suggestions-message" data-testid="search-message">
              {message}
            </div>
          )}
          {(message ? candidates.map((node) => ({ node, matched: '' })) : hits).map((h, i) => (
            <div
              key={h.node.id}
              role="option"
              aria-selected={i === active}
              className={`suggestion${i === active ? ' active' : ''}`}
              data-testid="search-suggestion"
              onMouseDown={(e) => {
                e.preventDefault();
                choose(h.node);
              }}
            >
              <NodeChip node={h.node} />
              {h.matched && h.matched !== h.node.name && <span className="suggestion-matched">{h.matched}</span>}
            </div>
          ))}
        </div>
      )}
    </div>
  );
}

