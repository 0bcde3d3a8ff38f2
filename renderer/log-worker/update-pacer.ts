// One update in flight: the worker sends the page a view update only after the page said (`frame`) that it
// drew the last one, and only when something changed; until then changes accumulate in the views. (The
// page's half, which asks no more often than it can use, is log-panel/update-asker.ts.)
import { withDefaults, type OptionBound } from '../services/options';

export const UPDATE_PACER_DEFAULTS = {
  /**
   * How long after the first change an update goes out, when the page can take one. 0: a macrotask later,
   * so that a burst of stream events handled back to back goes out as one update, at no cost in latency.
   */
  coalesceMs: 0,
} as const;

export type UpdatePacerOptions = Partial<Record<keyof typeof UPDATE_PACER_DEFAULTS, number>>;

const BOUNDS: Readonly<Record<keyof typeof UPDATE_PACER_DEFAULTS, OptionBound>> = { coalesceMs: { min: 0 } };

export class UpdatePacer {
  /** The page can take an update; true at first, since it has none yet. */
  private pageReady = true;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly coalesceMs: number;

  /** `send` posts an update when anything changed, and says whether it did. */
  constructor(
    private readonly send: () => boolean,
    options: UpdatePacerOptions = {},
  ) {
    this.coalesceMs = withDefaults('UpdatePacer', UPDATE_PACER_DEFAULTS, BOUNDS, options).coalesceMs;
  }

  /** The page drew the last update and can take the next. */
  frame(): void {
    this.pageReady = true;
    this.schedule();
  }

  /** Something a view shows changed. */
  changed(): void {
    if (this.pageReady) this.schedule();
  }

  private schedule(): void {
    if (this.timer !== undefined) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (this.pageReady && this.send()) this.pageReady = false;
    }, this.coalesceMs);
  }
}
