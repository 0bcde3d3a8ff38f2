// The desktop app's "Many hosts" settings: the Redis its server reads (as `serve --redis`) and the CA file of a
// rediss:// one. Read from the app when the dialog opens, stored by Save, used from the app's next start. The
// page is shown the URL without its password; saving it unchanged keeps the stored password.
import type { DesktopHostsView } from '../../protocol/desktop-ipc';
import { setting } from '../services/form-controls';
import { bridgeErrorMessage, type TailwatchBridge } from './bridge';

export function desktopHostSettings(bridge: TailwatchBridge): HTMLElement[] {
  const url = field('setting-redis-url', 'redis://user:password@host:6379');
  const ca = field('setting-redis-ca', '/path/to/ca.pem');
  const save = document.createElement('button');
  save.type = 'button';
  save.className = 'tool';
  save.id = 'setting-redis-save';
  save.textContent = 'Save Redis settings';
  save.disabled = true;
  const status = document.createElement('span');
  status.className = 'setting-help';
  status.setAttribute('role', 'status');
  const problem = document.createElement('span');
  problem.className = 'setting-help setting-problem';
  problem.setAttribute('role', 'alert');

  const show = (view: DesktopHostsView): void => {
    url.value = view.redis ?? '';
    ca.value = view.redisCa ?? '';
    url.disabled = ca.disabled = save.disabled = false;
    status.textContent = view.fromCommandLine
      ? `This run reads ${view.inUse} (--redis on the command line, used rather than this setting).`
      : view.inUse !== null
        ? `This run reads ${view.inUse}. A change is used from the next start.`
        : 'Used from the next start of the app.';
  };
  const failed = (error: unknown): void => {
    problem.textContent = bridgeErrorMessage(error);
  };
  save.addEventListener('click', () => {
    save.disabled = true;
    problem.textContent = '';
    bridge.setHosts({ redis: url.value, redisCa: ca.value }).then(show, (error: unknown) => {
      save.disabled = false;
      failed(error);
    });
  });
  bridge.getHosts().then(show, failed);
  return [
    setting('Many hosts: Redis URL', 'Also show every host whose agent publishes there (tailwatch agent --redis). rediss:// for TLS. Empty: this computer only.', url),
    setting('Many hosts: CA file', 'The CA certificate (PEM) of a rediss:// server not signed by a CA the system trusts.', ca, status, problem),
    save,
  ];
}

function field(id: string, placeholder: string): HTMLInputElement {
  const input = document.createElement('input');
  input.type = 'text';
  input.className = 'field';
  input.id = id;
  input.placeholder = placeholder;
  input.spellcheck = false;
  input.autocomplete = 'off';
  input.disabled = true;
  return input;
}
