// The columns shown beside each message: time, level and source (a per-source pane has no source column).
import { el } from '../services/dom-builder';
import type { LogColumn, SettingsStore } from '../services/settings-store';
import { toolButton } from './controls';
import { Popover } from './popover';

const COLUMNS: readonly { column: LogColumn; label: string }[] = [
  { column: 'time', label: 'Time' },
  { column: 'level', label: 'Level' },
  { column: 'source', label: 'Source' },
];

export class ColumnsMenu {
  private readonly popover: Popover;
  private readonly boxes = new Map<LogColumn, HTMLInputElement>();

  constructor(private readonly settings: SettingsStore) {
    this.popover = new Popover(toolButton({ icon: 'columns', title: 'Columns' }), 'Columns');
    const list = el('div', 'lp-checks');
    for (const { column, label } of COLUMNS) {
      const box = el('input');
      box.type = 'checkbox';
      box.addEventListener('change', () => this.settings.update({ columns: { ...this.settings.value.columns, [column]: box.checked } }));
      const row = el('label');
      row.append(box, el('span', undefined, label));
      list.append(row);
      this.boxes.set(column, box);
    }
    this.popover.panel.append(el('h3', undefined, 'Columns'), list);
  }

  get element(): HTMLElement {
    return this.popover.element;
  }

  sync(columns: Readonly<Record<LogColumn, boolean>>): void {
    for (const [column, box] of this.boxes) box.checked = columns[column];
  }
}
