// Help → Keyboard shortcuts: the native menu's key bindings (Electron) and the timeline's mouse
// gestures (useGestures.ts), in one list.
import { useEffect, useState } from 'react';
import type { Shell } from '../api/shell.ts';

const GESTURES: ReadonlyArray<{ label: string; how: string }> = [
  { label: 'Zoom the timeline about the pointer', how: 'Wheel' },
  { label: 'Pan the timeline', how: 'Drag, Shift+wheel or a horizontal swipe' },
  { label: 'Select a time range (then annotate it)', how: 'Shift+drag' },
  { label: 'Select an event', how: 'Click' },
];

export function ShortcutsDialog({ shell, onClose }: { shell: Shell; onClose: () => void }) {
  const [keys, setKeys] = useState<Array<{ label: string; accelerator: string }>>([]);
  useEffect(() => {
    void shell.menuAccelerators?.().then(setKeys, () => setKeys([]));
  }, [shell]);
  return (
    <div className="modal-backdrop">
      <div className="modal" role="dialog" aria-modal="true" aria-labelledby="shortcuts-title" data-testid="shortcuts-dialog">
        <h2 id="shortcuts-title">Keyboard and mouse</h2>
        <table className="shortcuts">
          <tbody>
            {keys.map((k) => (
              <tr key={k.label}>
                <td>{k.label}</td>
                <td className="mono">{k.accelerator.replace('CmdOrCtrl', 'Ctrl')}</td>
              </tr>
            ))}
            {GESTURES.map((g) => (
              <tr key={g.label}>
                <td>{g.label}</td>
                <td>{g.how}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <div className="modal-actions">
          <button type="button" className="primary" onClick={onClose} autoFocus data-testid="shortcuts-close">
            Close
          </button>
        </div>
      </div>
    </div>
  );
}
