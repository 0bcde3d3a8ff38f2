// What the log shows when the server follows no file at all: how to give it some, in the words of where the
// dashboard runs (the desktop app adds folders itself; a server is told on its command line).
import { el } from '../services/dom-builder';

export function buildNoSources(desktop: boolean): HTMLElement {
  const panel = el('div', 'lp-no-sources');
  const card = el('div', 'lp-no-sources-card');
  card.append(el('h2', undefined, 'No log sources yet'));
  if (desktop) {
    card.append(el('p', undefined, 'Choose the logs to follow with “Add folder…” or “Add file…” in the top bar, or drop folders and files on this window.'));
  } else {
    // Said to whoever opened the page, maybe far from the server: what the server needs, not a desktop button.
    card.append(
      el(
        'p',
        undefined,
        'The server follows no file yet. A file shows here as soon as it exists under a folder it watches (--dir, ' +
          'names like *.log, syslog, messages) or at a path it was given (--file). To follow others, start it with them:',
      ),
      el('code', 'lp-command', 'tailwatch serve --dir /var/log'),
      el('code', 'lp-command', 'tailwatch serve --file PATH'),
    );
  }
  panel.append(card);
  return panel;
}
