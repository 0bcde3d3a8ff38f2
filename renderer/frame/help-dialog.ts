// The `?` dialog: every key of the shortcut table, by where it works, and how to read the view.
import { dialogBody, dialogHeader } from '../services/dialog-header';
import { helpSections } from '../services/shortcuts';

export function fillHelpDialog(dialog: HTMLDialogElement): void {
  const table = document.createElement('table');
  table.className = 'shortcuts';
  for (const section of helpSections()) {
    const heading = document.createElement('th');
    heading.colSpan = 2;
    heading.scope = 'colgroup';
    heading.textContent = section.title;
    const headingRow = document.createElement('tr');
    headingRow.append(heading);
    const group = document.createElement('tbody');
    group.append(headingRow, ...section.rows.map(({ keys, what }) => helpRow(keys, what)));
    table.append(group);
  }
  const tips = document.createElement('p');
  tips.className = 'hint';
  tips.textContent =
    'Scrolling up pauses following; the button at the bottom brings you back. Drag across a chart to zoom every chart to that range; click the log-rate chart to jump to that moment in the log.';
  dialog.replaceChildren(dialogHeader('help-title', 'Keyboard shortcuts', dialog), dialogBody(table, tips));
}

function helpRow(keys: readonly string[], what: string): HTMLTableRowElement {
  const keyCell = document.createElement('td');
  keys.forEach((label, i) => {
    const key = document.createElement('kbd');
    key.textContent = label;
    if (i > 0) keyCell.append(' or ');
    keyCell.append(key);
  });
  const whatCell = document.createElement('td');
  whatCell.textContent = what;
  const row = document.createElement('tr');
  row.append(keyCell, whatCell);
  return row;
}
