import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { MenuItemConstructorOptions } from 'electron';
import { applicationMenu, type MenuActions } from '../../main/desktop/menu-template';

function recordingActions(): { actions: MenuActions; calls: string[] } {
  const calls: string[] = [];
  const names = ['addFolder', 'addFile', 'shareDashboard', 'alerts', 'toggleTheme', 'reload', 'toggleDevTools', 'showWindow'] as const;
  const actions = Object.fromEntries(names.map((n) => [n, () => void calls.push(n)])) as unknown as MenuActions;
  return { actions, calls };
}

function items(menu: MenuItemConstructorOptions[]): MenuItemConstructorOptions[] {
  return menu.flatMap((m) => [m, ...(Array.isArray(m.submenu) ? items(m.submenu) : [])]);
}

const byLabel = (menu: MenuItemConstructorOptions[], label: string) => items(menu).find((i) => i.label === label);

test('the menu has the standard roles and our commands, each wired to its action', () => {
  const { actions, calls } = recordingActions();
  const menu = applicationMenu({ isMac: false, isDevelopment: false, appName: 'tailwatch' }, actions);
  const roles = items(menu).map((i) => i.role).filter(Boolean);
  for (const role of ['editMenu', 'windowMenu', 'quit', 'togglefullscreen', 'zoomIn']) assert.ok(roles.includes(role as never), role);
  const wired: [string, string][] = [
    ['Add Folder…', 'addFolder'],
    ['Add File…', 'addFile'],
    ['Share Dashboard…', 'shareDashboard'],
    ['Alerts…', 'alerts'],
    ['Toggle Theme', 'toggleTheme'],
    ['Reload', 'reload'],
  ];
  for (const [label, action] of wired) {
    const item = byLabel(menu, label);
    assert.ok(item?.click, label);
    (item.click as () => void)();
    assert.equal(calls.at(-1), action, label);
  }
});

test('DevTools are in the menu only in development', () => {
  const { actions } = recordingActions();
  const released = applicationMenu({ isMac: false, isDevelopment: false, appName: 'tailwatch' }, actions);
  assert.equal(items(released).some((i) => /developer tools/i.test(i.label ?? '') || i.role === 'toggleDevTools'), false);
  const dev = applicationMenu({ isMac: false, isDevelopment: true, appName: 'tailwatch' }, actions);
  assert.ok(byLabel(dev, 'Toggle Developer Tools'));
});

test('on macOS the app menu comes first with About and Quit, and File has no second Quit', () => {
  const { actions } = recordingActions();
  const menu = applicationMenu({ isMac: true, isDevelopment: false, appName: 'tailwatch' }, actions);
  assert.equal(menu[0]!.label, 'tailwatch');
  assert.equal(items(menu).filter((i) => i.role === 'quit').length, 1);
  assert.ok(items(menu).some((i) => i.role === 'about'));
});
