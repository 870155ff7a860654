import { useEffect, useRef, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { useApp, useAppStore } from '../store';
import { CompareResult } from './CompareResult';
import '../compare.css';

/** The compare mode: pick what to compare the open case with, then read what changed (CompareResult). */
export function ComparePanel() {
  const store = useAppStore();
  const { diff, loading, error, otherIs, snapshots, shellMode, source } = useApp(
    useShallow((s) => ({ diff: s.compare, loading: s.compareLoading, error: s.compareError, otherIs: s.compareOtherIs, snapshots: s.snapshotList, shellMode: s.shellMode, source: s.compareSource })),
  );
  const s = store.getState();
  const caseInput = useRef<HTMLInputElement>(null);
  const planInput = useRef<HTMLInputElement>(null);
  const snapshotSelect = useRef<HTMLSelectElement>(null);
  const electron = shellMode === 'electron';
  // Import options of the file to test, as in the import dialog (a kubectl export does not name its cluster).
  const [cluster, setCluster] = useState('');
  const [account, setAccount] = useState('');
  const planOptions = () => ({ ...(cluster.trim() ? { cluster: cluster.trim() } : {}), ...(account.trim() ? { account: account.trim() } : {}) });

  useEffect(() => {
    if (!store.getState().snapshotList) void store.getState().loadSnapshots();
  }, [store]);

  const pick = (as: 'case' | 'plan') => {
    if (electron) void s.pickAndCompare(as, planOptions());
    else (as === 'case' ? caseInput : planInput).current?.click();
  };

  return (
    <div className="panel compare-panel" data-testid="compare-panel">
      <h2>Compare</h2>
      <p className="muted small">
        What changed between this case and another state of it. Added is <span className="diff-word added">green</span>, removed <span className="diff-word removed">red</span>, changed{' '}
        <span className="diff-word changed">amber</span>, both states on one layout.
      </p>
      <div className="compare-sources">
        <div className="compare-source">
          <div className="compare-source-title">Another case file</div>
          <label className="small">
            It is the state{' '}
            <select data-testid="compare-other-is" value={otherIs} onChange={(e) => s.setCompareOtherIs(e.target.value === 'after' ? 'after' : 'before')}>
              <option value="before">before</option>
              <option value="after">after</option>
            </select>{' '}
            this case
          </label>
          <button type="button" data-testid="compare-pick-case" onClick={() => pick('case')} disabled={loading}>
            Choose a .blastmap…
          </button>
        </div>
        <div className="compare-source">
          <div className="compare-source-title">A file to test before importing it</div>
          <div className="muted small">A Terraform plan, a newer export: imported into a private copy, this case untouched (plan-impact).</div>
          <div className="compare-options small">
            <label>
              Cluster <input data-testid="compare-plan-cluster" value={cluster} onChange={(e) => setCluster(e.target.value)} placeholder="kubectl exports" />
            </label>
            <label>
              Account <input data-testid="compare-plan-account" value={account} onChange={(e) => setAccount(e.target.value)} placeholder="AWS, if not named" />
            </label>
          </div>
          <button type="button" data-testid="compare-pick-plan" onClick={() => pick('plan')} disabled={loading}>
            Choose file(s)…
          </button>
        </div>
        {snapshots && snapshots.length > 0 && (
          <div className="compare-source">
            <div className="compare-source-title">A snapshot this case kept</div>
            <div className="compare-snapshot-row">
              <select ref={snapshotSelect} data-testid="compare-snapshot" defaultValue={String(snapshots[snapshots.length - 1]!.id)}>
                {[...snapshots].reverse().map((snap) => (
                  <option key={snap.id} value={String(snap.id)}>
                    {snap.id}: {snap.label} ({snap.takenAt.slice(0, 16).replace('T', ' ')})
                  </option>
                ))}
              </select>
              <button type="button" data-testid="compare-run-snapshot" disabled={loading} onClick={() => void s.compareWithSnapshot(snapshotSelect.current?.value ?? 'latest')}>
                Compare
              </button>
            </div>
          </div>
        )}
      </div>
      {/* Browser mode: the page reads the file and uploads its bytes; the server never opens a path the page names. */}
      <input
        ref={caseInput}
        type="file"
        accept=".blastmap"
        hidden
        data-testid="compare-case-input"
        onChange={(e) => {
          const files = [...(e.target.files ?? [])];
          e.target.value = '';
          void s.compareWithFiles(files, 'case');
        }}
      />
      <input
        ref={planInput}
        type="file"
        multiple
        hidden
        data-testid="compare-plan-input"
        onChange={(e) => {
          const files = [...(e.target.files ?? [])];
          e.target.value = '';
          void s.compareWithFiles(files, 'plan', planOptions());
        }}
      />
      {loading && (
        <p className="muted" data-testid="compare-loading">
          Comparing with {source?.name ?? '…'}…
        </p>
      )}
      {error && (
        <p className="error-text" data-testid="compare-error">
          {error}
        </p>
      )}
      {diff && !loading && <CompareResult />}
    </div>
  );
}
