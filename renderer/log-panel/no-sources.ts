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
    card.append(
      el('p', undefined, 'tailwatch shows the files it is told to follow. Start it with a folder, or with one file:'),
      el('code', 'lp-command', 'tailwatch serve --dir /var/log'),
      el('code', 'lp-command', 'tailwatch serve --file PATH'),
      el('p', 'hint', 'In the desktop app, use “Add folder…” in the top bar.'),
    );
  }
  panel.append(card);
  return panel;
}
