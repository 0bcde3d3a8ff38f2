// The desktop app's "Open at login" setting, for the settings dialog: read from the app when the dialog
// opens, written at once when switched. The app may refuse (a system policy): the switch then goes back.
import { bridgeErrorMessage, type TailwatchBridge } from './desktop';

export function openAtLoginSetting(bridge: TailwatchBridge): HTMLElement {
  const input = document.createElement('input');
  input.type = 'checkbox';
  input.id = 'setting-open-at-login';
  input.disabled = true;
  const problem = document.createElement('span');
  problem.className = 'setting-help setting-problem';
  problem.setAttribute('role', 'alert');
  const text = document.createElement('span');
  text.textContent = 'Open at login';
  const help = document.createElement('span');
  help.className = 'setting-help';
  help.textContent = 'Start tailwatch when you log in to this computer.';
  text.append(help, problem);
  const label = document.createElement('label');
  label.className = 'setting';
  label.append(text, input);

  const show = (openAtLogin: boolean): void => {
    input.checked = openAtLogin;
    input.disabled = false;
  };
  const failed = (error: unknown): void => {
    problem.textContent = bridgeErrorMessage(error);
  };
  bridge.getPreferences().then((preferences) => show(preferences.openAtLogin), failed);
  input.addEventListener('change', () => {
    const wanted = input.checked;
    input.disabled = true;
    problem.textContent = '';
    bridge.setPreferences({ openAtLogin: wanted }).then(
      (preferences) => show(preferences.openAtLogin),
      (error: unknown) => {
        show(!wanted);
        failed(error);
      },
    );
  });
  return label;
}
