// The native menu. Items that act on what the renderer shows send a ShellCommand to it; opening a recent case is
// done here (the window then reloads onto the new case).
import type { MenuItemConstructorOptions } from 'electron';
import { basename } from 'node:path';
import type { ShellCommand } from '../src/api/contract.js';

export interface MenuOptions {
  isMac: boolean;
  recent: string[];
  /** Developer tools and reload, for unpackaged runs only. */
  devTools: boolean;
  send: (command: ShellCommand) => void;
  openRecent: (path: string) => void;
  clearRecent: () => void;
}

export function buildMenuTemplate(o: MenuOptions): MenuItemConstructorOptions[] {
  const cmd = (label: string, command: ShellCommand, accelerator?: string): MenuItemConstructorOptions => ({
    label,
    ...(accelerator ? { accelerator } : {}),
    click: () => o.send(command),
  });
  const recentItems: MenuItemConstructorOptions[] = o.recent.length
    ? [...o.recent.map((path) => ({ label: `${basename(path)} — ${path}`, click: () => o.openRecent(path) })), { type: 'separator' }, { label: 'Clear Recent', click: o.clearRecent }]
    : [{ label: 'No recent cases', enabled: false }];

  const file: MenuItemConstructorOptions = {
    label: 'File',
    submenu: [
      cmd('New Case…', 'new-case', 'CmdOrCtrl+N'),
      cmd('Open Case…', 'open-case', 'CmdOrCtrl+O'),
      { label: 'Open Recent', submenu: recentItems },
      { type: 'separator' },
      cmd('Import Exports…', 'import', 'CmdOrCtrl+I'),
      { type: 'separator' },
      cmd('Export Graph as PNG…', 'export-png', 'CmdOrCtrl+Shift+P'),
      cmd('Export Graph as SVG…', 'export-svg', 'CmdOrCtrl+Shift+S'),
      cmd('Export Report…', 'export-report', 'CmdOrCtrl+Shift+R'),
      ...(o.isMac ? [] : [{ type: 'separator' } as const, { role: 'quit' } as const]),
    ],
  };
  const view: MenuItemConstructorOptions = {
    label: 'View',
    submenu: [
      cmd('Fit Graph', 'fit', 'CmdOrCtrl+0'),
      cmd('Toggle Light/Dark', 'toggle-theme', 'CmdOrCtrl+Shift+L'),
      { type: 'separator' },
      { role: 'zoomIn' },
      { role: 'zoomOut' },
      { role: 'resetZoom' },
      { role: 'togglefullscreen' },
      ...(o.devTools ? [{ type: 'separator' } as const, { role: 'reload' } as const, { role: 'toggleDevTools' } as const] : []),
    ],
  };
  const help: MenuItemConstructorOptions = { role: 'help', submenu: [cmd('Keyboard Shortcuts and Help', 'show-help', 'F1')] };
  return [
    ...(o.isMac ? [{ role: 'appMenu' } as const] : []),
    file,
    { role: 'editMenu' },
    view,
    { role: 'windowMenu' },
    help,
  ];
}
