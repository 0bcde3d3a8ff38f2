// The handle between the charts and the log: dragged, or focused and moved with the arrow keys, it gives the
// charts more or less of the height; a double-click gives them back the layout's own. The height is a setting.
import { SETTINGS_LIMITS, type SettingsStore } from '../services/settings-store';
import { shortcutAction, type ShortcutAction } from '../services/shortcuts';

/** The log view keeps at least this much of the workspace, however tall the charts are made. */
const LOG_MIN_HEIGHT_PX = 160;
/** A key step moves the handle this far (↑ ↓ in the shortcut table); a larger one (Page Up, Page Down), four times as far. */
const KEY_STEP_PX = 16;
const PAGE_STEP_PX = 4 * KEY_STEP_PX;
/** The charts root gets this class while it has a dragged height (the cards then share that height). */
const SIZED_CLASS = 'charts-sized';

export class ChartsSplitter {
  readonly element: HTMLElement;
  private drag: { pointerId: number; startY: number; startHeight: number; moved: boolean } | null = null;

  constructor(
    private readonly root: HTMLElement,
    private readonly settings: SettingsStore,
  ) {
    const element = document.createElement('div');
    element.className = 'charts-splitter';
    element.tabIndex = 0;
    element.setAttribute('role', 'separator');
    element.setAttribute('aria-orientation', 'horizontal');
    element.setAttribute('aria-label', 'Height of the charts');
    if (root.id !== '') element.setAttribute('aria-controls', root.id);
    element.title = 'Drag to resize the charts (or focus and use ↑ ↓); double-click for the default height';
    this.element = element;
    // The log view's share holds whatever the height and the window do (the workspace is a column of the two).
    root.style.maxHeight = `calc(100% - ${LOG_MIN_HEIGHT_PX}px)`;
    this.listen();
    this.apply(settings.value.chartsHeight);
  }

  private listen(): void {
    const { element, settings } = this;
    element.addEventListener('pointerdown', (event) => {
      if (event.button !== 0) return;
      this.drag = { pointerId: event.pointerId, startY: event.clientY, startHeight: this.currentHeight(), moved: false };
      element.setPointerCapture(event.pointerId);
      element.classList.add('dragging');
    });
    element.addEventListener('pointermove', (event) => {
      const drag = this.drag;
      if (drag === null || event.pointerId !== drag.pointerId) return;
      const dy = event.clientY - drag.startY;
      if (dy === 0 && !drag.moved) return;
      drag.moved = true;
      this.apply(drag.startHeight + dy);
    });
    const finish = (event: PointerEvent): void => {
      const drag = this.drag;
      if (drag === null || event.pointerId !== drag.pointerId) return;
      this.drag = null;
      element.classList.remove('dragging');
      // A press without a move (half of a double-click) leaves the default height alone.
      if (!drag.moved) return;
      // What is kept is the height shown: a drag past the bound stops at it.
      settings.update({ chartsHeight: this.currentHeight() });
      this.apply(settings.value.chartsHeight);
    };
    element.addEventListener('pointerup', finish);
    element.addEventListener('pointercancel', finish);
    element.addEventListener('lostpointercapture', finish);
    element.addEventListener('dblclick', () => settings.update({ chartsHeight: null }));
    element.addEventListener('keydown', (event) => {
      const step = keyStep(shortcutAction('charts-handle', event));
      if (step === null) return;
      event.preventDefault();
      const target = step === 'min' ? SETTINGS_LIMITS.minChartsHeight : step === 'max' ? this.maxHeight() : this.currentHeight() + step;
      settings.update({ chartsHeight: this.clamp(target) });
    });
    element.addEventListener('focus', () => this.describe());
    settings.onChange((value, changed) => {
      if (changed.has('chartsHeight')) this.apply(value.chartsHeight);
    });
  }

  /** Shows the charts at `height`, or at the layout's own height when null; a short window caps either. */
  private apply(height: number | null): void {
    if (height === null) {
      this.root.style.removeProperty('height');
      this.root.classList.remove(SIZED_CLASS);
    } else {
      this.root.style.height = `${Math.max(SETTINGS_LIMITS.minChartsHeight, Math.round(height))}px`;
      this.root.classList.add(SIZED_CLASS);
    }
    this.describe();
  }

  /** The separator's value for assistive technology: the charts' height in CSS pixels, and its bounds. */
  private describe(): void {
    this.element.setAttribute('aria-valuemin', String(SETTINGS_LIMITS.minChartsHeight));
    this.element.setAttribute('aria-valuemax', String(this.maxHeight()));
    this.element.setAttribute('aria-valuenow', String(this.currentHeight()));
  }

  private currentHeight(): number {
    return Math.round(this.root.getBoundingClientRect().height);
  }

  /** The workspace's height less the log view's share; never under the least the charts may have. */
  private maxHeight(): number {
    const workspace = this.root.parentElement?.clientHeight ?? 0;
    return Math.max(SETTINGS_LIMITS.minChartsHeight, Math.floor(workspace - LOG_MIN_HEIGHT_PX));
  }

  private clamp(height: number): number {
    return Math.round(Math.min(this.maxHeight(), Math.max(SETTINGS_LIMITS.minChartsHeight, height)));
  }
}

function keyStep(action: ShortcutAction<'charts-handle'> | null): number | 'min' | 'max' | null {
  switch (action) {
    case 'shorter':
      return -KEY_STEP_PX;
    case 'taller':
      return KEY_STEP_PX;
    case 'muchShorter':
      return -PAGE_STEP_PX;
    case 'muchTaller':
      return PAGE_STEP_PX;
    case 'shortest':
      return 'min';
    case 'tallest':
      return 'max';
    case null:
      return null;
  }
}
