// Which stretch of time every chart shows: the last N minutes by the server's clock, scrolling (live), or a
// range the user selected by dragging across a chart, fixed until they go back to live.
import type { TimeRange } from './chart-definition';

/** A selection narrower than this is widened around its middle: a few 1 s samples make no chart. */
const MIN_SELECTION_MS = 10_000;

export class TimeView {
  private windowMs: number;
  private selected: TimeRange | null = null;
  /** The server's clock minus this one, from the newest sample: samples are stamped by the server. */
  private skewMs = 0;
  private versionValue = 0;
  private readonly listeners = new Set<() => void>();

  constructor(windowMinutes: number) {
    this.windowMs = windowMinutes * 60_000;
  }

  get live(): boolean {
    return this.selected === null;
  }

  get selection(): TimeRange | null {
    return this.selected;
  }

  /** Changes with the window and the selection (not as live time passes). */
  get version(): number {
    return this.versionValue;
  }

  range(): TimeRange {
    if (this.selected !== null) return this.selected;
    const now = Date.now() + this.skewMs;
    return { min: now - this.windowMs, max: now };
  }

  /** A new window; it also ends a selection. */
  setWindow(minutes: number): void {
    const windowMs = minutes * 60_000;
    if (windowMs === this.windowMs && this.selected === null) return;
    this.windowMs = windowMs;
    this.selected = null;
    this.changed();
  }

  select(min: number, max: number): void {
    const middle = (min + max) / 2;
    const half = Math.max(max - min, MIN_SELECTION_MS) / 2;
    this.selected = { min: middle - half, max: middle + half };
    this.changed();
  }

  backToLive(): void {
    if (this.selected === null) return;
    this.selected = null;
    this.changed();
  }

  /** A sample stamped `ts` by the server arrived now. */
  noteServerTime(ts: number): void {
    this.skewMs = ts - Date.now();
  }

  onChange(listener: () => void): void {
    this.listeners.add(listener);
  }

  private changed(): void {
    this.versionValue++;
    for (const listener of this.listeners) listener();
  }
}
