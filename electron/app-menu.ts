// The native application menu. Items that act on the open case are sent to the renderer as a
// named command (it owns those flows: new case, import, export…); the rest are Electron roles.
// Only `import type` from Electron, so the template is unit-tested without the binary. The
// command names are part of the contract (core/api.ts): the renderer handles them.
import type { MenuItemConstructorOptions } from 'electron';
import { MENU_COMMANDS, type MenuCommand } from '../core/api.ts';

export { MENU_COMMANDS, type MenuCommand };

export function isMenuCommand(value: unknown): value is MenuCommand {
  return typeof value === 'string' && (MENU_COMMANDS as readonly string[]).includes(value);
}

export interface MenuActions {
  send(command: MenuCommand): void;
  about(): void;
}

/** Keyboard accelerators of the menu, listed by Help → Keyboard shortcuts as well. */
export const MENU_ACCELERATORS: ReadonlyArray<{ label: string; accelerator: string }> = [
  { label: 'New case…', accelerator: 'CmdOrCtrl+N' },
  { label: 'Open case…', accelerator: 'CmdOrCtrl+O' },
  { label: 'Import captures…', accelerator: 'CmdOrCtrl+I' },
  { label: 'Export report…', accelerator: 'CmdOrCtrl+E' },
  { label: 'Toggle light/dark theme', accelerator: 'CmdOrCtrl+Shift+T' },
];

function accelerator(label: string): string | undefined {
  return MENU_ACCELERATORS.find((a) => a.label === label)?.accelerator;
}

function commandItem(label: string, command: MenuCommand, actions: MenuActions): MenuItemConstructorOptions {
  const acc = accelerator(label);
  return { label, ...(acc ? { accelerator: acc } : {}), click: () => actions.send(command) };
}

export function menuTemplate(actions: MenuActions, platform: NodeJS.Platform): MenuItemConstructorOptions[] {
  const isMac = platform === 'darwin';
  return [
    ...(isMac ? [{ role: 'appMenu' } as MenuItemConstructorOptions] : []),
    {
      label: 'File',
      submenu: [
        commandItem('New case…', 'new-case', actions),
        commandItem('Open case…', 'open-case', actions),
        { type: 'separator' },
        commandItem('Import captures…', 'import', actions),
        commandItem('Export report…', 'export-report', actions),
        { type: 'separator' },
        isMac ? { role: 'close' } : { role: 'quit' },
      ],
    },
    { role: 'editMenu' },
    {
      label: 'View',
      submenu: [
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { role: 'resetZoom' },
        { type: 'separator' },
        commandItem('Toggle light/dark theme', 'toggle-theme', actions),
        { type: 'separator' },
        { role: 'togglefullscreen' },
      ],
    },
    {
      label: 'Help',
      submenu: [
        { label: 'Keyboard shortcuts', accelerator: 'F1', click: () => actions.send('shortcuts') },
        { label: 'About Tracebench', click: () => actions.about() },
      ],
    },
  ];
}
