// The page's half of the update pacing: after drawing an update, the page tells the worker it can take the
// next (the worker's half is log-worker/update-pacer.ts), but no sooner than minUpdateIntervalMs after the
// last time. No DOM: timers and a clock only.
import { withDefaults, type OptionBound } from '../services/options';

export const UPDATE_ASKER_DEFAULTS = {
  /**
   * Live updates are asked of the worker at most this often (20 a second). No one reads 50,000 lines a second
   * row by row; drawing them at 60 Hz would only spend the page's main thread (measured: half the DOM work).
   * Scrolling is unaffected: it draws rows the pane already holds.
   */
  minUpdateIntervalMs: 50,
} as const;

export type UpdateAskerOptions = Partial<Record<keyof typeof UPDATE_ASKER_DEFAULTS, number>>;

const BOUNDS: Readonly<Record<keyof typeof UPDATE_ASKER_DEFAULTS, OptionBound>> = {
  // 0: ask after every drawn update, as fast as frames come.
  minUpdateIntervalMs: { min: 0 },
};

export class UpdateAsker {
  private readonly minIntervalMs: number;
  private lastAskedAt = Number.NEGATIVE_INFINITY;
  private timer: ReturnType<typeof setTimeout> | undefined;

  /** `ask` tells the worker (posts `frame`); `now` is a monotonic clock in ms. */
  constructor(
    private readonly ask: () => void,
    options: UpdateAskerOptions = {},
    private readonly now: () => number = () => performance.now(),
  ) {
    this.minIntervalMs = withDefaults('LogPanel', UPDATE_ASKER_DEFAULTS, BOUNDS, options).minUpdateIntervalMs;
  }

  /** An update was drawn: ask for the next now, or once minUpdateIntervalMs has passed since the last ask. */
  drew(): void {
    const wait = this.lastAskedAt + this.minIntervalMs - this.now();
    if (wait > 0) {
      this.timer ??= setTimeout(() => {
        this.timer = undefined;
        this.drew();
      }, wait);
      return;
    }
    this.lastAskedAt = this.now();
    this.ask();
  }
}
