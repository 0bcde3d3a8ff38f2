// Level switches: a chip per level, and one for lines without a level; a chip switched off hides its lines
// in every pane (FilterSpec.hiddenLevels).
import { el } from '../services/dom-builder';
import type { SettingsStore } from '../services/settings-store';
import { LEVEL_KEYS, type LevelKey } from '../worker-channel/worker-protocol';
import { setPressed } from './controls';

/** Three letters keep seven chips narrow enough for one toolbar row on a laptop. */
const CHIP_LABELS: Record<LevelKey, string> = { fatal: 'FTL', error: 'ERR', warn: 'WRN', info: 'INF', debug: 'DBG', trace: 'TRC', none: '—' };
const CHIP_NAMES: Record<LevelKey, string> = { fatal: 'fatal', error: 'error', warn: 'warning', info: 'info', debug: 'debug', trace: 'trace', none: 'no-level' };

export class LevelChips {
  readonly element = el('div', 'lp-levels');
  private readonly chips = new Map<LevelKey, HTMLButtonElement>();

  constructor(private readonly settings: SettingsStore) {
    this.element.setAttribute('role', 'group');
    this.element.setAttribute('aria-label', 'Levels shown');
    for (const level of LEVEL_KEYS) {
      const chip = el('button', `lp-chip lvl-${level}`, CHIP_LABELS[level]);
      chip.type = 'button';
      chip.title = level === 'none' ? 'Show lines without a level' : `Show ${CHIP_NAMES[level]} lines`;
      chip.setAttribute('aria-label', `${CHIP_NAMES[level]} lines`);
      chip.addEventListener('click', () => this.toggle(level));
      this.chips.set(level, chip);
      this.element.append(chip);
    }
  }

  sync(hidden: readonly LevelKey[]): void {
    for (const [level, chip] of this.chips) setPressed(chip, !hidden.includes(level));
  }

  private toggle(level: LevelKey): void {
    const filter = this.settings.value.filter;
    const hidden = filter.hiddenLevels.includes(level) ? filter.hiddenLevels.filter((l) => l !== level) : [...filter.hiddenLevels, level];
    this.settings.update({ filter: { ...filter, hiddenLevels: hidden } });
  }
}
