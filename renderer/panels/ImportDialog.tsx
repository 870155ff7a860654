import { useEffect, useRef, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { ImportRequest } from '../contract';
import { Modal } from '../components/Modal';
import { plural } from '../format';
import { useApp, useAppStore } from '../store';

const PHASES = { reading: 'Reading', parsing: 'Parsing', writing: 'Writing', deriving: 'Deriving paths and findings', indexing: 'Building the graph index', done: 'Done', waiting: 'Waiting for another process writing the case' } as const;

export function ImportDialog({ initialFiles = [], onFilesTaken }: { initialFiles?: File[]; onFilesTaken?: () => void } = {}) {
  const store = useAppStore();
  const { state, formats, shellMode } = useApp(useShallow((s) => ({ state: s.importState, formats: s.formats, shellMode: s.shellMode })));
  const [files, setFilesState] = useState<File[]>(initialFiles);
  // Dropped files are handed over once; the window forgets them.
  const taken = useRef(onFilesTaken);
  // Picking other files starts afresh: an earlier error or result no longer describes them.
  const setFiles = (next: File[]) => {
    setFilesState(next);
    if (!store.getState().importState.running) store.getState().resetImport();
  };
  const [format, setFormat] = useState('');
  const [cluster, setCluster] = useState('');
  const [account, setAccount] = useState('');
  const [dragging, setDragging] = useState(false);
  const [reading, setReading] = useState(false);
  const s = store.getState();

  useEffect(() => {
    void store.getState().loadFormats();
    store.getState().resetImport();
    taken.current?.();
  }, [store]);

  const options = (): NonNullable<ImportRequest['options']> => ({
    ...(format ? { format } : {}),
    ...(cluster.trim() ? { cluster: cluster.trim() } : {}),
    ...(account.trim() ? { account: account.trim() } : {}),
  });

  const start = async () => {
    setReading(true);
    let payload;
    try {
      payload = await s.fileRefs(files);
    } finally {
      setReading(false);
    }
    await s.importFiles(payload, options());
  };

  const p = state.progress;
  const pct = p ? Math.round(((p.index + (p.phase === 'done' ? 1 : 0.5)) / Math.max(p.total, 1)) * 100) : 0;
  return (
    <Modal title="Import exports" testId="import-dialog" onClose={() => s.setImportOpen(false)} closable={!state.running}>
      <p className="muted small">
        Inventory exports as the tools write them (JSON, JSON lines, CSV, YAML; gzip is fine). All files land in the case, or none do.
      </p>
      <label
        className={`dropzone${dragging ? ' dragging' : ''}`}
        onDragOver={(e) => {
          e.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={(e) => {
          e.preventDefault();
          setDragging(false);
          setFiles([...files, ...Array.from(e.dataTransfer.files)]);
        }}
      >
        <input
          type="file"
          multiple
          data-testid="import-file-input"
          onChange={(e) => {
            setFiles([...files, ...Array.from(e.target.files ?? [])]);
            // The same file can be picked again after it was removed.
            e.target.value = '';
          }}
          disabled={state.running}
        />
        <span>Drop files here or click to choose</span>
      </label>
      {files.length > 0 && (
        <ul className="plain file-list" data-testid="import-files">
          {files.map((f, i) => (
            <li key={`${f.name}-${i}`}>
              <span className="file-name">{f.name}</span> <span className="muted small">{(f.size / 1024).toFixed(1)} KB</span>
              <button type="button" className="icon-button remove-file" aria-label={`Remove ${f.name}`} data-testid="import-remove-file" disabled={state.running} onClick={() => setFiles(files.filter((_, j) => j !== i))}>
                ×
              </button>
            </li>
          ))}
        </ul>
      )}
      <div className="import-options">
        <label>
          Format{' '}
          <select value={format} onChange={(e) => setFormat(e.target.value)} data-testid="import-format">
            <option value="">detect from content</option>
            {formats.map((f) => (
              <option key={f.format} value={f.format}>
                {f.title}
              </option>
            ))}
          </select>
        </label>
        <label>
          Cluster <input value={cluster} onChange={(e) => setCluster(e.target.value)} placeholder="for kubectl exports" />
        </label>
        <label>
          Account <input value={account} onChange={(e) => setAccount(e.target.value)} placeholder="for AWS exports without one" />
        </label>
      </div>
      {state.running && (
        <div className="progress" data-testid="import-progress">
          <div className="progress-bar">
            <div className="progress-fill" style={{ width: `${pct}%` }} />
          </div>
          <div className="small">
            {p ? `${PHASES[p.phase]} ${p.file} (${p.index + 1} of ${p.total}) · ${plural(p.nodes, 'node')}, ${plural(p.edges, 'edge')}` : 'Starting…'}
          </div>
        </div>
      )}
      {state.error && (
        <div className="import-error" role="alert" data-testid="import-error">
          <strong>{state.cancelled ? 'Import cancelled: the case is unchanged.' : 'Import failed: the case is unchanged.'}</strong>
          {!state.cancelled && (
            <>
              <div>{state.error.message}</div>
              {(state.error.file || state.error.location) && (
                <div className="mono small">
                  {state.error.file}
                  {state.error.location ? ` at ${state.error.location}` : ''}
                </div>
              )}
            </>
          )}
        </div>
      )}
      {state.result && (
        <div className="import-result" data-testid="import-result">
          <strong>Imported.</strong>
          <ul className="plain">
            {state.result.sources.map((src) => (
              <li key={src.id}>
                {src.fileName} as {src.format}: {plural(src.counts.nodes, 'node')}, {plural(src.counts.edges, 'edge')}
              </li>
            ))}
          </ul>
          {state.result.warnings.length > 0 && (
            <details>
              <summary>{plural(state.result.warnings.length, 'warning')}</summary>
              <ul className="plain small">
                {state.result.warnings.slice(0, 200).map((w, i) => (
                  <li key={i}>
                    {w.file}
                    {w.location ? ` (${w.location})` : ''}: {w.message}
                  </li>
                ))}
              </ul>
            </details>
          )}
        </div>
      )}
      <div className="modal-actions">
        {state.running ? (
          <button type="button" onClick={() => void s.cancelImport()} data-testid="import-cancel">
            Cancel import
          </button>
        ) : (
          <>
            <button type="button" onClick={() => s.setImportOpen(false)}>
              Close
            </button>
            {shellMode === 'electron' && files.length === 0 && (
              <button type="button" onClick={() => void s.pickAndImport(options())} data-testid="import-pick-native">
                Choose files…
              </button>
            )}
            <button type="button" className="primary" disabled={files.length === 0 || reading} onClick={() =>
                void start().then(() => {
                  // A failed import keeps its files, to try again with other options or without the bad one.
                  if (store.getState().importState.result) setFilesState([]);
                })
              } data-testid="import-start">
              {reading ? 'Reading files…' : `Import ${files.length ? plural(files.length, 'file') : ''}`}
            </button>
          </>
        )}
      </div>
    </Modal>
  );
}
