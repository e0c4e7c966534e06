// Help → Keyboard shortcuts (or `?`): the workbench's key map (keys/keymap.ts), the native menu's
// key bindings (Electron) and the timeline's mouse gestures (useGestures.ts), in one list.
import { useEffect, useState } from 'react';
import type { Shell } from '../api/shell.ts';
import { describeBindings, type KeyScope } from '../keys/keymap.ts';

const GESTURES: ReadonlyArray<{ label: string; how: string }> = [
  { label: 'Zoom the timeline about the pointer', how: 'Wheel' },
  { label: 'Pan the timeline', how: 'Drag, Shift+wheel or a horizontal swipe' },
  { label: 'Select a time range (then annotate it)', how: 'Shift+drag' },
  { label: 'Select an event', how: 'Click' },
  { label: 'Filter to, exclude or copy a cell’s value', how: 'Right-click the cell' },
  { label: 'Reorder / resize / fit a column', how: 'Drag its header / drag its right edge / double-click the edge' },
];

const SCOPE_NOTE: Record<KeyScope, string> = { global: '', table: ' (table focused)', timeline: ' (timeline focused)' };

export function ShortcutsDialog({ shell, onClose }: { shell: Shell; onClose: () => void }) {
  const [keys, setKeys] = useState<Array<{ label: string; accelerator: string }>>([]);
  useEffect(() => {
    void shell.menuAccelerators?.().then(setKeys, () => setKeys([]));
  }, [shell]);
  return (
    <div className="modal-backdrop">
      <div
        className="modal shortcuts-modal"
        role="dialog"
        aria-modal="true"
        aria-labelledby="shortcuts-title"
        data-testid="shortcuts-dialog"
        onKeyDown={(e) => {
          if (e.key === 'Escape') onClose();
        }}
      >
        <h2 id="shortcuts-title">Keyboard and mouse</h2>
        <table className="shortcuts">
          <tbody>
            <tr>
              <th colSpan={2}>Keys (not while typing in a field)</th>
            </tr>
            {describeBindings().map((b) => (
              <tr key={`${b.label}|${b.keys}`} data-testid="shortcut-key">
                <td>
                  {b.label}
                  {b.label.includes('focused') ? '' : SCOPE_NOTE[b.scope]}
                </td>
                <td className="mono">{b.keys}</td>
              </tr>
            ))}
            {keys.length > 0 && (
              <tr>
                <th colSpan={2}>Menu</th>
              </tr>
            )}
            {keys.map((k) => (
              <tr key={k.label}>
                <td>{k.label}</td>
                <td className="mono">{k.accelerator.replace('CmdOrCtrl', 'Ctrl')}</td>
              </tr>
            ))}
            <tr>
              <th colSpan={2}>Mouse</th>
            </tr>
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
