import { useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { Modal } from '../components/Modal';
import { useApp, useAppStore } from '../store';

/** Asks the passphrase of an encrypted case (.blastmap.enc) the desktop shell is about to open. */
export function UnlockDialog() {
  const store = useAppStore();
  const { busy, error } = useApp(useShallow((s) => ({ busy: s.unlockBusy, error: s.unlockError })));
  const [passphrase, setPassphrase] = useState('');
  return (
    <Modal title="Open an encrypted case" testId="unlock-dialog" onClose={() => store.getState().setUnlockOpen(false)} closable={!busy}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (passphrase) void store.getState().unlock(passphrase);
        }}
      >
        <p className="muted small">The case is decrypted into a private temporary folder for this session and wiped when another case is opened or Blastmap quits. Changes are not written back to the encrypted file.</p>
        <label className="unlock-field">
          Passphrase
          <input type="password" autoComplete="off" autoFocus value={passphrase} onChange={(e) => setPassphrase(e.target.value)} data-testid="unlock-passphrase" disabled={busy} />
        </label>
        {error && (
          <p className="error-text" data-testid="unlock-error">
            {error}
          </p>
        )}
        <div className="modal-actions">
          <button type="button" onClick={() => store.getState().setUnlockOpen(false)} disabled={busy}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={busy || !passphrase} data-testid="unlock-submit">
            {busy ? 'Decrypting…' : 'Open'}
          </button>
        </div>
      </form>
    </Modal>
  );
}
