// Shown when no case is open: open a case the host lists (the workspace's cases, the recent
// ones; in Electron also any case file through the native dialog), create one, or open the
// sample case built from the repository's demo captures. Cases are opened by the ids the host
// issued: the page never names a path for the backend to open.
import { useEffect, useRef, useState } from 'react';
import type { CaseEntry, CaseInfo, SessionInfo, WorkbenchApi } from '../../../core/api.ts';
import { useMenuCommands } from '../api/menu.ts';
import type { Shell } from '../api/shell.ts';
import { formatBytes } from './case-size.ts';

interface Props {
  api: WorkbenchApi;
  shell: Shell;
  session: SessionInfo;
  onOpened(info: CaseInfo): void;
  reportError(error: unknown): void;
}

const CASE_NAME = /^[\w .-]+$/;

function CaseList({ cases, testId, disabled, onOpen }: { cases: CaseEntry[]; testId: string; disabled: boolean; onOpen(entry: CaseEntry): void }) {
  return (
    <ul className="recent" data-testid={`${testId}s`}>
      {cases.map((entry) => (
        <li key={entry.case_id}>
          <button type="button" className="link" disabled={disabled} onClick={() => onOpen(entry)} data-testid={testId} title={`${entry.location}`}>
            {entry.name}
          </button>{' '}
          <span className="muted">
            {entry.modified.slice(0, 16).replace('T', ' ')} UTC · {formatBytes(entry.size)}
          </span>
        </li>
      ))}
    </ul>
  );
}

export function StartScreen({ api, shell, session, onOpened, reportError }: Props) {
  const nameInput = useRef<HTMLInputElement>(null);
  const openCard = useRef<HTMLDivElement>(null);
  const [name, setName] = useState('');
  const [busy, setBusy] = useState<string | null>(null);
  const [cases, setCases] = useState<CaseEntry[] | null>(null);

  useEffect(() => {
    let live = true;
    api.listCases({}).then(
      (list) => live && setCases(list),
      (error: unknown) => {
        if (live) setCases([]);
        reportError(error);
      },
    );
    return () => {
      live = false;
    };
  }, [api, reportError]);

  const run = async (what: string, action: () => Promise<CaseInfo | null>) => {
    setBusy(what);
    try {
      const info = await action();
      if (info) onOpened(info);
    } catch (error) {
      reportError(error);
    } finally {
      setBusy(null);
    }
  };
  const openById = (entry: CaseEntry) => void run('open', () => api.openCase({ case_id: entry.case_id }));
  const chooseCase = shell.chooseCase;
  const openChosen = chooseCase
    ? () =>
        void run('choose', async () => {
          const caseId = await chooseCase();
          return caseId === null ? null : api.openCase({ case_id: caseId });
        })
    : null;
  useMenuCommands(shell, {
    'new-case': () => nameInput.current?.focus(),
    'open-case': () => (openChosen ? openChosen() : openCard.current?.querySelector('button')?.focus()),
  });

  const inList = new Set((cases ?? []).map((c) => c.case_id));
  const recentElsewhere = session.recent.filter((r) => !inList.has(r.case_id));
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
        <div className="card" ref={openCard}>
          <h2>Open a case</h2>
          {cases === null && <p className="muted">Listing the workspace…</p>}
          {cases !== null && cases.length === 0 && <p className="muted">No cases in {session.workspace} yet.</p>}
          {cases !== null && cases.length > 0 && <CaseList cases={cases} testId="workspace-case" disabled={busy !== null} onOpen={openById} />}
          {recentElsewhere.length > 0 && (
            <>
              <h3>Recent</h3>
              <CaseList cases={recentElsewhere} testId="recent-case" disabled={busy !== null} onOpen={openById} />
            </>
          )}
          {openChosen && (
            <button type="button" disabled={busy !== null} onClick={openChosen} data-testid="open-case-dialog">
              {busy === 'choose' ? 'Opening…' : 'Open…'}
            </button>
          )}
          {!openChosen && <p className="muted">The browser shell opens cases in its workspace folder; start it with <code>tracebench serve CASE</code> to open one elsewhere.</p>}
        </div>
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
