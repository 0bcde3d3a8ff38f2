// The `?` dialog: the keyboard shortcuts and how to read the view.
import { dialogBody, dialogHeader } from '../services/dialog-header';
import { SHORTCUTS } from '../services/shortcuts';

export function fillHelpDialog(dialog: HTMLDialogElement): void {
  const rows = SHORTCUTS.map((shortcut) => {
    const key = document.createElement('kbd');
    key.textContent = shortcut.label;
    const keyCell = document.createElement('td');
    keyCell.append(key);
    const what = document.createElement('td');
    what.textContent = shortcut.what;
    const row = document.createElement('tr');
    row.append(keyCell, what);
    return row;
  });
  const table = document.createElement('table');
  table.append(...rows);
  const tips = document.createElement('p');
  tips.className = 'hint';
  tips.textContent =
    'Scrolling up pauses following; the button at the bottom brings you back. Drag across a chart to zoom every chart to that range; click the log-rate chart to jump to that moment in the log.';
  dialog.replaceChildren(dialogHeader('help-title', 'Keyboard shortcuts', dialog), dialogBody(table, tips));
}
