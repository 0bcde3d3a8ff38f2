// Files dropped on the window. In the desktop window, folders and files dropped anywhere are followed, and an
// overlay says so while they are dragged over it. In a browser a dropped file would replace the dashboard
// with itself, so a drop of files is refused there. Dragging text (into the filter) is left alone in both.
import './drop-target.css';
import type { AddPathsResult } from '../../protocol/desktop-ipc';

interface FollowDropsOptions {
  add(files: FileList): Promise<AddPathsResult>;
  done(result: AddPathsResult): void;
  failed(error: unknown): void;
}

const carriesFiles = (event: DragEvent): boolean => event.dataTransfer?.types.includes('Files') === true;

/** The browser: files dragged over the page show "no drop", and a drop does nothing. */
export function refuseDroppedFiles(): void {
  for (const type of ['dragover', 'drop'] as const) {
    document.addEventListener(type, (event) => {
      if (!carriesFiles(event)) return;
      event.preventDefault();
      event.dataTransfer!.dropEffect = 'none';
    });
  }
}

/** The desktop window: dropped files and folders are followed. */
export function followDroppedFiles(options: FollowDropsOptions): void {
  const overlay = buildOverlay();
  // dragenter and dragleave come in pairs for every element crossed: the drag is over the window while more
  // have been entered than left.
  let depth = 0;
  document.addEventListener('dragenter', (event) => {
    if (!carriesFiles(event)) return;
    event.preventDefault();
    depth++;
    overlay.hidden = false;
  });
  document.addEventListener('dragleave', (event) => {
    if (!carriesFiles(event)) return;
    depth = Math.max(0, depth - 1);
    if (depth === 0) overlay.hidden = true;
  });
  document.addEventListener('dragover', (event) => {
    if (!carriesFiles(event)) return;
    event.preventDefault();
    event.dataTransfer!.dropEffect = 'copy';
  });
  document.addEventListener('drop', (event) => {
    if (!carriesFiles(event)) return;
    event.preventDefault();
    depth = 0;
    overlay.hidden = true;
    const files = event.dataTransfer!.files;
    if (files.length > 0) options.add(files).then(options.done, options.failed);
  });
}

function buildOverlay(): HTMLElement {
  const overlay = document.createElement('div');
  overlay.className = 'drop-overlay';
  overlay.hidden = true;
  // Read out when it appears: what letting go will do.
  overlay.setAttribute('role', 'status');
  const message = document.createElement('p');
  message.textContent = 'Drop folders or files to follow them';
  overlay.append(message);
  document.body.append(overlay);
  return overlay;
}
