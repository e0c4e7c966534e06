import type { MenuItemConstructorOptions } from 'electron';
import { describe, expect, it, vi } from 'vitest';
import { isMenuCommand, MENU_ACCELERATORS, MENU_COMMANDS, menuTemplate } from './app-menu.ts';

type Item = MenuItemConstructorOptions;
const submenu = (item: Item | undefined): Item[] => (Array.isArray(item?.submenu) ? (item.submenu as Item[]) : []);
const byLabel = (items: Item[], label: string): Item | undefined => items.find((i) => i.label === label);

describe('application menu', () => {
  const send = vi.fn();
  const about = vi.fn();
  const template = menuTemplate({ send, about }, 'linux');

  it('has File, Edit, View and Help, and no developer tools or reload', () => {
    expect(template.map((i) => i.label ?? i.role)).toEqual(['File', 'editMenu', 'View', 'Help']);
    const roles = JSON.stringify(template.map((i) => submenu(i).map((s) => s.role)));
    expect(roles).not.toMatch(/toggleDevTools|reload|forceReload/i);
  });

  it('sends each case action to the renderer as a named command', () => {
    const file = submenu(byLabel(template, 'File'));
    for (const [label, command] of [
      ['New case…', 'new-case'],
      ['Open case…', 'open-case'],
      ['Import captures…', 'import'],
      ['Export report…', 'export-report'],
    ] as const) {
      const item = byLabel(file, label);
      expect(item?.accelerator, label).toBe(MENU_ACCELERATORS.find((a) => a.label === label)?.accelerator);
      (item?.click as () => void)();
      expect(send).toHaveBeenLastCalledWith(command);
    }
    const view = submenu(byLabel(template, 'View'));
    expect(view.map((i) => i.role).filter(Boolean)).toEqual(expect.arrayContaining(['zoomIn', 'zoomOut', 'resetZoom']));
    (byLabel(view, 'Toggle light/dark theme')?.click as () => void)();
    expect(send).toHaveBeenLastCalledWith('toggle-theme');
    const help = submenu(byLabel(template, 'Help'));
    (byLabel(help, 'Keyboard shortcuts')?.click as () => void)();
    expect(send).toHaveBeenLastCalledWith('shortcuts');
    (byLabel(help, 'About Tracebench')?.click as () => void)();
    expect(about).toHaveBeenCalledOnce();
  });

  it('knows its command names', () => {
    for (const c of MENU_COMMANDS) expect(isMenuCommand(c)).toBe(true);
    expect(isMenuCommand('quit')).toBe(false);
    expect(isMenuCommand(undefined)).toBe(false);
  });

  it('adds the app menu on macOS', () => {
    expect(menuTemplate({ send, about }, 'darwin')[0]?.role).toBe('appMenu');
  });
});
