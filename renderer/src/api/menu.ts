// Native menu commands (Electron's File/View/Help menu) reach the component that owns the flow.
// In the browser shell there is no native menu and this does nothing.
import { useEffect, useRef } from 'react';
import type { MenuCommand } from '../../../core/api.ts';
import type { Shell } from './shell.ts';

export type MenuHandlers = Partial<Record<MenuCommand, () => void>>;

/** Calls the handler of each menu command while the component is mounted (latest handlers win). */
export function useMenuCommands(shell: Shell, handlers: MenuHandlers): void {
  const latest = useRef(handlers);
  latest.current = handlers;
  useEffect(() => shell.onMenuCommand?.((command) => latest.current[command]?.()), [shell]);
}
