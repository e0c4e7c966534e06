// Top level: asks the host which case is open and shows the start screen or the workbench.
import { useCallback, useEffect, useState } from 'react';
import type { CaseInfo, SessionInfo } from '../../core/api.ts';
import type { Host } from './api/shell.ts';
import { StartScreen } from './start/StartScreen.tsx';
import { ViewProvider } from './state/view.tsx';
import { AddressSync } from './state/AddressSync.tsx';
import { WorkbenchProvider, messageOf } from './state/workbench.tsx';
import { Workbench } from './Workbench.tsx';
import { useMenuCommands } from './api/menu.ts';
import { applyTheme, savedTheme, toggledTheme } from './display/theme.ts';
import { ShortcutsDialog } from './panels/ShortcutsDialog.tsx';
import { KeyActionsProvider, useKeyActions } from './keys/KeyActions.tsx';

/** `?` opens the shortcuts dialog (it lists the key map with the menu's keys and the gestures). */
function ShowKeysBinding({ onShow }: { onShow: () => void }) {
  useKeyActions({ 'show-keys': onShow });
  return null;
}

export function App({ host }: { host: Host }) {
  const { api, shell, timelineDrawn } = host;
  const [session, setSession] = useState<SessionInfo | null>(null);
  const [caseInfo, setCaseInfo] = useState<CaseInfo | null>(null);
  const [errors, setErrors] = useState<string[]>([]);

  const reportError = useCallback((error: unknown) => {
    const message = messageOf(error);
    console.error(error);
    setErrors((list) => [...list.slice(-4), message]);
  }, []);

  const loadSession = useCallback(async () => {
    try {
      const info = await api.session({});
      setSession(info);
      setCaseInfo(info.case_path !== null ? await api.caseInfo({}) : null);
    } catch (error) {
      reportError(error);
    }
  }, [api, reportError]);

  useEffect(() => {
    void loadSession();
  }, [loadSession]);

  const [theme, setTheme] = useState(savedTheme);
  useEffect(() => {
    applyTheme(theme);
    shell.setTheme?.(theme);
  }, [shell, theme]);
  const toggleTheme = useCallback(() => setTheme(toggledTheme), []);
  const [shortcutsOpen, setShortcutsOpen] = useState(false);
  useMenuCommands(shell, { 'toggle-theme': toggleTheme, shortcuts: () => setShortcutsOpen(true) });

  const closeCase = useCallback(() => {
    setCaseInfo(null);
    void api.session({}).then(setSession, reportError);
  }, [api, reportError]);

  return (
    <KeyActionsProvider>
      <div className="app" data-shell={shell.kind}>
        <ShowKeysBinding onShow={() => setShortcutsOpen(true)} />
        {errors.length > 0 && (
          <div className="error-bar" role="alert" data-testid="error-bar">
            <span>{errors[errors.length - 1]}</span>
            <button type="button" onClick={() => setErrors([])}>
              Dismiss
            </button>
          </div>
        )}
        {!session && <p className="muted loading">Connecting…</p>}
        {session && !caseInfo && <StartScreen api={api} shell={shell} session={session} onOpened={setCaseInfo} reportError={reportError} />}
        {session && caseInfo && (
          <WorkbenchProvider key={caseInfo.path} api={api} shell={shell} timelineDrawn={timelineDrawn} initialCase={caseInfo} reportError={reportError} closeCase={closeCase}>
            <ViewProvider>
              <AddressSync />
              <Workbench onToggleTheme={toggleTheme} />
            </ViewProvider>
          </WorkbenchProvider>
        )}
        {shortcutsOpen && <ShortcutsDialog shell={shell} onClose={() => setShortcutsOpen(false)} />}
      </div>
    </KeyActionsProvider>
  );
}
