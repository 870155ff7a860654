import { SHORTCUTS } from '../shortcuts';
import { useAppStore } from '../store';
import { Modal } from '../components/Modal';

export function HelpPanel() {
  const store = useAppStore();
  return (
    <Modal title="Keyboard shortcuts" testId="help-panel" onClose={() => store.getState().setHelpOpen(false)}>
      <table className="shortcuts">
        <tbody>
          {SHORTCUTS.map((s) => (
            <tr key={s.keys.join()}>
              <td>
                {s.keys.map((k) => (
                  <kbd key={k}>{k === ' ' ? 'Space' : k}</kbd>
                ))}
              </td>
              <td>{s.label}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h3>Mouse</h3>
      <ul className="plain">
        <li>Click a node or an edge: details and evidence. Double-click a node: expand its neighbours.</li>
        <li>Click a grouped “N × kind” node: open the group. Drag to pan, wheel to zoom.</li>
      </ul>
    </Modal>
  );
}
