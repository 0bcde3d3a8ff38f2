// What the log shows when the server follows no file at all: how to give it some.
import { el } from './dom-builder';

export function buildNoSources(): HTMLElement {
  const panel = el('div', 'lp-no-sources');
  const card = el('div', 'lp-no-sources-card');
  card.append(
    el('h2', undefined, 'No log sources yet'),
    el('p', undefined, 'tailwatch shows the files it is told to follow. Start it with a folder, or with one file:'),
    el('code', 'lp-command', 'tailwatch serve --dir /var/log'),
    el('code', 'lp-command', 'tailwatch serve --file PATH'),
    el('p', 'hint', 'In the desktop app, use “Add folder…” in the top bar.'),
  );
  panel.append(card);
  return panel;
}
