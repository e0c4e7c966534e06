// Collection governance of the case (core/case/governance.ts): devices in scope, what triggered
// collection, who collected with which tool, retention and handling, chain-of-custody notes. The
// report's scope section and blind-spot list read it. Saved on "Save"; a custody note is appended.
import { useEffect, useState } from 'react';
import type { Governance, GovernanceDevice } from '../../../core/api.ts';
import { useWorkbench } from '../state/workbench.tsx';

const TEXT_FIELDS = [
  ['trigger', 'Trigger of collection'],
  ['collector', 'Collected by'],
  ['tool', 'Tool'],
  ['tool_options', 'Tool options'],
  ['retention', 'Retention'],
  ['handling', 'Handling'],
] as const;
type TextField = (typeof TEXT_FIELDS)[number][0];

export function GovernancePanel() {
  const { api, reportError } = useWorkbench();
  const [saved, setSaved] = useState<Governance | null>(null);
  const [devices, setDevices] = useState<GovernanceDevice[]>([]);
  const [text, setText] = useState<Record<TextField, string>>({ trigger: '', collector: '', tool: '', tool_options: '', retention: '', handling: '' });
  const [custody, setCustody] = useState('');
  const [busy, setBusy] = useState(false);

  const show = (g: Governance) => {
    setSaved(g);
    setDevices(g.devices);
    setText({ trigger: g.trigger ?? '', collector: g.collector ?? '', tool: g.tool ?? '', tool_options: g.tool_options ?? '', retention: g.retention ?? '', handling: g.handling ?? '' });
  };
  useEffect(() => {
    api.governance({}).then(show, reportError);
  }, [api, reportError]);

  const save = async () => {
    setBusy(true);
    try {
      const note = custody.trim();
      show(await api.setGovernance({ devices: devices.filter((d) => d.host.trim() !== ''), ...text, ...(note ? { custody_note: note } : {}) }));
      setCustody('');
    } catch (error) {
      reportError(error);
    } finally {
      setBusy(false);
    }
  };
  const setDevice = (i: number, change: Partial<GovernanceDevice>) => setDevices((list) => list.map((d, n) => (n === i ? { ...d, ...change } : d)));

  if (!saved) return <p className="muted">Loading…</p>;
  return (
    <form
      className="governance-panel"
      data-testid="governance-panel"
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      <fieldset>
        <legend>Devices in scope</legend>
        {devices.map((d, i) => (
          <div key={i} className="governance-device">
            <input aria-label="host" placeholder="host" value={d.host} onChange={(e) => setDevice(i, { host: e.target.value })} data-testid="governance-host" />
            <input aria-label="role" placeholder="role (HMI, PLC…)" value={d.role ?? ''} onChange={(e) => setDevice(i, { role: e.target.value || null })} />
            <input aria-label="zone" placeholder="zone / level" value={d.zone ?? ''} onChange={(e) => setDevice(i, { zone: e.target.value || null })} />
            <button type="button" title="Remove from scope" onClick={() => setDevices((list) => list.filter((_, n) => n !== i))}>×</button>
          </div>
        ))}
        <button type="button" onClick={() => setDevices((list) => [...list, { host: '', role: null, zone: null }])} data-testid="governance-add-device">
          Add device
        </button>
      </fieldset>
      {TEXT_FIELDS.map(([field, label]) => (
        <label key={field} className="governance-field">
          {label}
          <input value={text[field]} onChange={(e) => setText((t) => ({ ...t, [field]: e.target.value }))} data-testid={`governance-${field}`} />
        </label>
      ))}
      <fieldset>
        <legend>Chain of custody</legend>
        {saved.custody.length === 0 ? <p className="muted">No notes yet.</p> : (
          <ol className="governance-custody">
            {saved.custody.map((c) => (
              <li key={c.seq}>
                <span className="muted">{c.at}{c.author ? ` — ${c.author}` : ''}:</span> {c.note}
              </li>
            ))}
          </ol>
        )}
        <textarea aria-label="new custody note" placeholder="Add a note (appended when saved)" value={custody} onChange={(e) => setCustody(e.target.value)} data-testid="governance-custody" />
      </fieldset>
      <button type="submit" disabled={busy} data-testid="governance-save">{busy ? 'Saving…' : 'Save'}</button>
      {saved.updated_at && <p className="muted">Last saved {saved.updated_at}</p>}
    </form>
  );
}
