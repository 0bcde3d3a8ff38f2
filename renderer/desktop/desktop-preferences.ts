// The desktop app's own preferences, for the settings dialog: Open at login, and Keep running when the
// window is closed. Read from the app when the dialog opens, each written at once when switched; the app may
// refuse (a system policy for login items): the switch then goes back and says why.
import type { DesktopPreferences } from '../../protocol/desktop-ipc';
import { setting } from '../services/form-controls';
import { bridgeErrorMessage, type TailwatchBridge } from './bridge';

interface Preference {
  key: keyof DesktopPreferences;
  id: string;
  label: string;
  help: string;
}

const PREFERENCES: readonly Preference[] = [
  { key: 'openAtLogin', id: 'setting-open-at-login', label: 'Open at login', help: 'Start tailwatch when you log in to this computer.' },
  {
    key: 'closeToTray',
    id: 'setting-close-to-tray',
    label: 'Keep running when the window is closed',
    help: 'Alerts and sharing go on; the tray icon (or launching tailwatch again) brings the window back, and Quit ends it.',
  },
];

export function desktopPreferenceSettings(bridge: TailwatchBridge): HTMLElement[] {
  const switches = PREFERENCES.map((preference) => preferenceSwitch(bridge, preference));
  bridge.getPreferences().then(
    (preferences) => switches.forEach((s) => s.show(preferences)),
    (error: unknown) => switches.forEach((s) => s.failed(error)),
  );
  return switches.map((s) => s.element);
}

function preferenceSwitch(bridge: TailwatchBridge, { key, id, label, help }: Preference) {
  const input = document.createElement('input');
  input.type = 'checkbox';
  input.id = id;
  input.disabled = true;
  const problem = document.createElement('span');
  problem.className = 'setting-help setting-problem';
  problem.setAttribute('role', 'alert');
  const element = setting(label, help, input, problem);

  const show = (preferences: DesktopPreferences): void => {
    input.checked = preferences[key];
    input.disabled = false;
  };
  const failed = (error: unknown): void => {
    problem.textContent = bridgeErrorMessage(error);
  };
  input.addEventListener('change', () => {
    const wanted = input.checked;
    input.disabled = true;
    problem.textContent = '';
    bridge.setPreferences({ [key]: wanted }).then(show, (error: unknown) => {
      input.checked = !wanted;
      input.disabled = false;
      failed(error);
    });
  });
  return { element, show, failed };
}
