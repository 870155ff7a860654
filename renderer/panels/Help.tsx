import { MODIFIED_SHORTCUTS, SHORTCUTS } from '../shortcuts';
import { useAppStore } from '../store';
import { Modal } from '../components/Modal';

export function HelpPanel() {
  const store = useAppStore();
  return (
    <Modal title="Keyboard shortcuts" testId="help-panel" onClose={() => store.getState().setHelpOpen(false)}>
      <table className="shortcuts">
        <tbody>
          {[...SHORTCUTS, ...MODIFIED_SHORTCUTS].map((s) => (
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
        <li>Right-click a node or an edge: blast radius, paths, expand by edge kind, hide, mark, copy its id or ARN.</li>
        <li>Click a grouped “N × kind” node: open the group. Click a box: its boundary. Drag to pan, wheel to zoom.</li>
        <li>Drop export files anywhere on the window to import them.</li>
      </ul>
    </Modal>
  );
}
