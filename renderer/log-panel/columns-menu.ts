// The columns shown beside each message: time, level and source (a per-source pane has no source column), and
// keys of JSON lines shown before their message ("req.method, status": json-lead.ts).
import { el } from '../services/dom-builder';
import type { LogColumn, SettingsStore } from '../services/settings-store';
import { toolButton } from './controls';
import { MAX_JSON_KEYS, parseJsonKeys } from './json-lead';
import { Popover } from './popover';

const COLUMNS: readonly { column: LogColumn; label: string }[] = [
  { column: 'time', label: 'Time' },
  { column: 'level', label: 'Level' },
  { column: 'source', label: 'Source' },
];

export class ColumnsMenu {
  private readonly popover: Popover;
  private readonly boxes = new Map<LogColumn, HTMLInputElement>();
  private readonly jsonKeys = el('input', 'lp-json-keys');

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
    this.jsonKeys.type = 'text';
    this.jsonKeys.spellcheck = false;
    this.jsonKeys.autocomplete = 'off';
    this.jsonKeys.placeholder = 'req.method, status';
    this.jsonKeys.setAttribute('aria-label', 'JSON keys shown as columns, separated by commas');
    this.jsonKeys.title = `Keys of JSON lines shown before their message, up to ${MAX_JSON_KEYS} (a.b for nested ones)`;
    const apply = (): void => {
      const keys = parseJsonKeys(this.jsonKeys.value);
      if (keys.join('\n') !== this.settings.value.jsonKeys.join('\n')) this.settings.update({ jsonKeys: keys });
    };
    // `change` comes on Enter as on leaving the field.
    this.jsonKeys.addEventListener('change', apply);
    const keysLabel = el('label', 'lp-json-keys-label');
    keysLabel.append(el('span', undefined, 'JSON keys'), this.jsonKeys);
    this.popover.panel.append(el('h3', undefined, 'Columns'), list, keysLabel);
  }

  get element(): HTMLElement {
    return this.popover.element;
  }

  sync(columns: Readonly<Record<LogColumn, boolean>>): void {
    for (const [column, box] of this.boxes) box.checked = columns[column];
    if (document.activeElement !== this.jsonKeys) this.jsonKeys.value = this.settings.value.jsonKeys.join(', ');
  }
}
