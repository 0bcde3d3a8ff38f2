// The sidebar's list of the folders and files the user added in the desktop app, each with a remove button.
// Kept current by the main process's `tailwatch:sources-changed`; the files they yield are listed above it
// as the server reports them.
import './desktop-sources.css';
import type { DesktopSource } from '../../protocol/desktop-ipc';
import { visibleName } from '../../protocol/visible-text';
import { icon } from '../services/icons';
import { bridgeErrorMessage, type TailwatchBridge } from './bridge';

export class DesktopSources {
  private readonly list = document.createElement('ul');

  constructor(
    private readonly root: HTMLElement,
    private readonly bridge: TailwatchBridge,
    private readonly failed: (message: string) => void,
  ) {
    const heading = document.createElement('h2');
    heading.id = 'desktop-sources-title';
    heading.textContent = 'Added folders and files';
    this.list.className = 'desktop-source-list';
    this.list.setAttribute('aria-labelledby', heading.id);
    root.replaceChildren(heading, this.list);
    root.hidden = true;
    // An announced change is newer than the first listing, whichever arrives first.
    let announced = false;
    bridge.on('tailwatch:sources-changed', (sources) => {
      announced = true;
      this.render(sources);
    });
    bridge.listSources().then(
      (sources) => {
        if (!announced) this.render(sources);
      },
      (error: unknown) => failed(`The added folders could not be listed: ${bridgeErrorMessage(error)}`),
    );
  }

  private render(sources: readonly DesktopSource[]): void {
    // Focus on a Remove button that goes away moves to the next one, not to the top of the page.
    const focused = this.list.contains(document.activeElement) ? [...this.list.querySelectorAll('button')].indexOf(document.activeElement as HTMLButtonElement) : -1;
    this.list.replaceChildren(...sources.map((source) => this.row(source)));
    this.root.hidden = sources.length === 0;
    if (focused >= 0) {
      const buttons = this.list.querySelectorAll('button');
      buttons[Math.min(focused, buttons.length - 1)]?.focus();
    }
  }

  private row(source: DesktopSource): HTMLLIElement {
    // A folder's name is picked by whoever made it: its bidi and invisible characters show as `⟨U+XXXX⟩`.
    const shownPath = visibleName(source.path);
    const row = document.createElement('li');
    row.className = 'desktop-source';
    row.dataset.kind = source.kind;
    const kind = document.createElement('span');
    kind.className = 'kind';
    kind.textContent = source.kind === 'folder' ? 'Folder' : 'File';
    const path = document.createElement('span');
    path.className = 'path';
    path.title = shownPath;
    // Isolated left-to-right inside the right-to-left box that cuts its start (else "/var/log" shows as "var/log/").
    const text = document.createElement('bdi');
    text.textContent = shownPath;
    path.append(text);
    const remove = document.createElement('button');
    remove.type = 'button';
    remove.className = 'remove';
    remove.title = 'Remove: stop following it';
    remove.append(icon('close'));
    remove.setAttribute('aria-label', `Stop following ${shownPath}`);
    remove.addEventListener('click', () => {
      remove.disabled = true;
      this.bridge.removeSource(source.id).then(
        (sources) => this.render(sources),
        (error: unknown) => {
          remove.disabled = false;
          this.failed(`${shownPath} was not removed: ${bridgeErrorMessage(error)}`);
        },
      );
    });
    row.append(kind, path, remove);
    return row;
  }
}
