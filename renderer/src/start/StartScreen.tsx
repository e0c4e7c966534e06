// Shown when no case is open: open an existing case (path or recent), create one, or open the
// sample case built from the repository's demo captures.
import { useRef, useState } from 'react';
import type { CaseInfo, SessionInfo, WorkbenchApi } from '../../../core/api.ts';
import { useMenuCommands } from '../api/menu.ts';
import type { Shell } from '../api/shell.ts';

interface Props {
  api: WorkbenchApi;
  shell: Shell;
  session: SessionInfo;
  onOpened(info: CaseInfo): void;
  reportError(error: unknown): void;
}

const CASE_NAME = /^[\w .-]+$/;

export function StartScreen({ api, shell, session, onOpened, reportError }: Props) {
  const nameInput = useRef<HTMLInputElement>(null);
  const pathInput = useRef<HTMLInputElement>(null);
  useMenuCommands(shell, { 'new-case': () => nameInput.current?.focus(), 'open-case': () => pathInput.current?.focus() });
  const [path, setPath] = useState('');
  const [name, setName] = useState('');
  const [busy, setBusy] = useState<string | null>(null);

  const run = async (what: string, action: () => Promise<CaseInfo>) => {
    setBusy(what);
    try {
      onOpened(await action());
    } catch (error) {
      reportError(error);
    } finally {
      setBusy(null);
    }
  };

  const nameOk = CASE_NAME.test(name.trim()) && name.trim().length <= 200;
  return (
    <main className="start-screen" data-testid="start-screen">
      <h1>Tracebench</h1>
      <p className="muted">API-call captures and the events around them, on one timeline.</p>
      <div className="start-cards">
        <form
          className="card"
          onSubmit={(e) => {
            e.preventDefault();
            if (nameOk) void run('new', () => api.newCase({ name: name.trim() }));
          }}
        >
          <h2>New case</h2>
          <input ref={nameInput} placeholder="case name, e.g. hmi-ws01 incident" value={name} onChange={(e) => setName(e.target.value)} data-testid="new-case-name" aria-label="new case name" />
          <p className="muted">Created in {session.workspace}</p>
          <button type="submit" className="primary" disabled={!nameOk || busy !== null} data-testid="new-case">
            {busy === 'new' ? 'Creating…' : 'Create case'}
          </button>
        </form>
        <form
          className="card"
          onSubmit={(e) => {
            e.preventDefault();
            if (path.trim()) void run('open', () => api.openCase({ path: path.trim() }));
          }}
        >
          <h2>Open a case</h2>
          <input ref={pathInput} placeholder="/path/to/case.duckdb" value={path} onChange={(e) => setPath(e.target.value)} data-testid="open-case-path" aria-label="case file path" />
          <button type="submit" disabled={!path.trim() || busy !== null} data-testid="open-case">
            {busy === 'open' ? 'Opening…' : 'Open'}
          </button>
          {session.recent.length > 0 && (
            <>
              <h3>Recent</h3>
              <ul className="recent" data-testid="recent-cases">
                {session.recent.map((recent) => (
                  <li key={recent}>
                    <button type="button" className="link mono" onClick={() => void run('open', () => api.openCase({ path: recent }))} data-testid="recent-case">
                      {recent}
                    </button>
                  </li>
                ))}
              </ul>
            </>
          )}
        </form>
        <div className="card">
          <h2>Sample case</h2>
          <p className="muted">A demo case made from the captures shipped in samples/ (built on first use).</p>
          <button type="button" disabled={!session.sample_available || busy !== null} onClick={() => void run('sample', () => api.openSampleCase({}))} data-testid="open-sample">
            {busy === 'sample' ? 'Building…' : 'Open the sample case'}
          </button>
          {!session.sample_available && <p className="muted">No sample captures are installed.</p>}
        </div>
      </div>
    </main>
  );
}
